import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// guidectl as a careful new user found it (issue 17): each test runs the real binaries.
@Suite("guidectl, as a careful user finds it", .serialized)
struct CarefulUserTests {
    /// A session whose steps have long names, long enough to give way at 40 columns.
    static let longNames = """
        {"title": "Long names", "steps": [
          {"name": "Lying knee-to-chest stretch with a slow breath out", "duration": "5m", "sides": true},
          {"name": "Rest", "duration": "5m", "rest": true}
        ]}
        """

    /// One step of one second: finished almost at once.
    static let blink = #"{"title": "Blink", "steps": [{"name": "Blink", "duration": 1}]}"#

    /// guidectl's environment against `daemon`, as ``DaemonFixture/guidectl(_:environment:timeout:)`` sets it.
    static func environment(_ daemon: DaemonFixture, _ extra: [String: String] = [:]) -> [String: String] {
        var env = daemon.environment
        env["GUIDE_SOCKET"] = daemon.socketPath
        env["GUIDE_SESSIONS_PATH"] = daemon.sessionsDirectory
        env["GUIDE_AUDIO_DEVICE"] = daemon.audioDevice
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Waits until the daemon's status satisfies `condition`.
    @discardableResult
    static func waitForStatus(_ daemon: DaemonFixture, timeout: Duration = .seconds(15), _ condition: (Status) -> Bool) throws -> Status {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = try? daemon.request(.status).status, condition(status) { return status }
            usleep(50_000)
        }
        throw FixtureError("the daemon's status never got there: \(String(describing: try? daemon.request(.status).status))")
    }

    static func historyLine(_ session: String, started: String, ended: String) -> String {
        #"{"elapsed":60,"endedAt":"\#(ended)","outcome":"finished","session":"\#(session)","startedAt":"\#(started)","title":"\#(session)","total":60}"#
    }

    // 1
    @Test("show, list and history never start a daemon")
    func readOnlyCommandsStartNoDaemon() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        try (Self.historyLine("quick", started: "2026-11-20T10:00:00Z", ended: "2026-11-20T10:01:00Z") + "\n")
            .write(toFile: daemon.stateDirectory + "/history.jsonl", atomically: true, encoding: .utf8)
        for arguments in [["show", "quick"], ["list"], ["list", "--json"], ["history"], ["history", "--json"], ["history", "--stats"]] {
            let result = try daemon.guidectl(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "\(arguments) started a daemon")
        }
        #expect(try daemon.guidectl(["show", "quick"]).stdout.contains("Quick (quick)"))
        #expect(try daemon.guidectl(["list"]).stdout.hasPrefix("quick  Quick"))
        #expect(try daemon.guidectl(["history"]).stdout.contains("quick    finished"))
    }

    // 2
    @Test("stop, pause, skip and back all refuse with exit 1 when nothing runs, idle or finished")
    func oneRuleForNothingRunning() throws {
        let daemon = try DaemonFixture(sessions: ["blink": Self.blink])
        try daemon.start()
        for command in ["stop", "pause", "skip", "back"] {
            let result = try daemon.guidectl([command])
            #expect(result.status == 1, "\(command) when idle: \(result)")
            #expect(result.stderr.hasPrefix("guidectl: nothing is running"), "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try daemon.guidectl(["start", "blink"]).status == 0)
        try Self.waitForStatus(daemon) { $0.state == .finished }
        for command in ["stop", "pause", "skip", "back"] {
            let result = try daemon.guidectl([command])
            #expect(result.status == 1, "\(command) when finished: \(result)")
            #expect(result.stderr.hasPrefix("guidectl: nothing is running"), "\(command): \(result.stderr)")
        }
    }

    // 3
    @Test("watch --json starts with the current state, before the first event")
    func watchJSONStartsWithTheState() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        #expect(try daemon.guidectl(["start", "quick"]).status == 0)
        let result = try daemon.guidectl(["watch", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(first["event"] as? String == "status")
        #expect((first["status"] as? [String: Any])?["state"] as? String == "running")
        #expect(lines.last?.contains(#""event":"finished""#) == true, "\(lines)")
    }

    // 4
    @Test("history is ordered by start time, newest last, in the table and in --json")
    func historyOrderedByStart() throws {
        let daemon = try DaemonFixture()
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        // Written in order of end: "blank" started first but ended second.
        let lines = [
            Self.historyLine("quick", started: "2026-11-20T21:22:00Z", ended: "2026-11-20T21:22:30Z"),
            Self.historyLine("blank", started: "2026-11-20T21:21:00Z", ended: "2026-11-20T21:23:00Z"),
            Self.historyLine("later", started: "2026-11-20T21:23:00Z", ended: "2026-11-20T21:24:00Z"),
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: daemon.stateDirectory + "/history.jsonl", atomically: true, encoding: .utf8)
        let table = try daemon.guidectl(["history"], environment: ["TZ": "UTC"])
        #expect(table.status == 0, "\(table.stderr)")
        let sessions = table.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
        #expect(sessions == ["blank", "quick", "later"], "\(table.stdout)")
        #expect(table.stdout.contains("2026-11-20 21:21  blank"), "\(table.stdout)")
        let json = try daemon.guidectl(["history", "--json"])
        #expect(json.stdout.split(separator: "\n").map { $0.contains(#""session":"blank""#) } == [true, false, false], "\(json.stdout)")
    }

    // 5
    @Test("usage errors are one line with the fix, exit 64, whatever the command", arguments: [
        ["frob"], ["start"], ["start", "Bad_Name"], ["new", "Bad"], ["history", "--limit", "-1"], ["history", "--limit", "x"],
        ["status", "--json", "--format", "{step}"], ["status", "--format", "{nope}"], ["list", "--bogus"],
        ["watch", "--json", "--waybar"], ["show"], ["--socket"],
    ])
    func usageErrorsAreOneLine(arguments: [String]) throws {
        let daemon = try DaemonFixture()
        let result = try daemon.guidectl(arguments)
        #expect(result.status == 64, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("guidectl: "), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("(see 'guidectl ") || result.stderr.contains(" must ") || result.stderr.contains("use "), "\(arguments): no fix in \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test("the fix in a usage error names the command's help, and --limit -1 gets its range")
    func usageErrorWords() throws {
        let daemon = try DaemonFixture()
        #expect(try daemon.guidectl(["frob"]).stderr.contains("(see 'guidectl --help')"))
        #expect(try daemon.guidectl(["start"]).stderr.contains("(see 'guidectl start --help')"))
        #expect(try daemon.guidectl(["history", "--limit", "-1"]).stderr.contains("--limit must be a whole number from 1 to 100000, not -1"))
        for help in [["--help"], ["start", "--help"], ["help", "start"]] {
            let result = try daemon.guidectl(help)
            #expect(result.status == 0, "\(help): \(result)")
            #expect(result.stdout.hasPrefix("OVERVIEW: "), "\(help): \(result.stdout)")
        }
    }

    @Test("guidectl alone prints the status, as mpc does: 69 without a daemon, the line with one")
    func guidectlAloneIsStatus() throws {
        let daemon = try DaemonFixture()
        let none = try daemon.guidectl([])
        #expect(none.status == 69)
        #expect(none.stderr.hasPrefix("guidectl: no daemon running on \(daemon.socketPath)"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        try daemon.start()
        let idle = try daemon.guidectl([])
        #expect(idle.status == 0)
        #expect(idle.stdout == "idle\n")
    }

    // 6
    @Test("list --json, from the daemon and from the files, says the same")
    func listJSON() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick, "broken": #"{"title": 1}"#])
        let offline = try daemon.guidectl(["list", "--json"])
        try daemon.start()
        let online = try daemon.guidectl(["list", "--json"])
        for result in [offline, online] {
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let sessions = try #require(object["sessions"] as? [[String: Any]])
            #expect(sessions.map { $0["name"] as? String } == ["quick"])
            #expect(sessions.first?["steps"] as? Int == 3)
            #expect(sessions.first?["total"] as? Double == 8)
            let errors = try #require(object["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect((errors.first?["file"] as? String)?.hasSuffix("broken.json") == true)
        }
        #expect(offline.stdout == online.stdout)
    }

    // 7
    @Test("watch at 40 columns keeps the time left; other parts give way")
    func narrowWatchKeepsTimeLeft() throws {
        let daemon = try DaemonFixture(sessions: ["stretch": Self.longNames])
        try daemon.start()
        #expect(try daemon.guidectl(["start", "stretch"]).status == 0)
        let terminal = try TmuxTerminal(width: 40, command: [DaemonFixture.binary("guidectl"), "watch"], environment: Self.environment(daemon))
        let text = try terminal.waitFor("the watch line") { $0.contains("▶") }
        let line = try #require(text.split(separator: "\n").first { $0.contains("▶") })
        #expect(line.count <= 39, "\(line)")
        #expect(line.range(of: #" [0-9]+:[0-5][0-9]"#, options: .regularExpression) != nil, "no time left in \(line)")
        #expect(line.contains("…") || line.contains("Lying"), "\(line)")
    }

    @Test("watch at 120 columns with a failed sound device still shows the time to go")
    func wideWatchWithAudioTrouble() throws {
        let daemon = try DaemonFixture(sessions: ["stretch": Self.longNames], audioDevice: "hw:9")
        try daemon.start()
        #expect(try daemon.guidectl(["start", "stretch"]).status == 0)
        try Self.waitForStatus(daemon) { $0.audio?.ok == false }
        let terminal = try TmuxTerminal(width: 120, command: [DaemonFixture.binary("guidectl"), "watch"], environment: Self.environment(daemon))
        let text = try terminal.waitFor("the watch line") { $0.contains("▶") }
        let line = try #require(text.split(separator: "\n").first { $0.contains("▶") })
        #expect(line.contains(" to go"), "\(line)")
        #expect(!line.contains("ALSA"), "\(line)")
    }

    // 8
    @Test("status is one line with a 'no sound' marker; --long and the JSON carry the error")
    func audioTroubleIsAMarker() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "hw:9")
        try daemon.start()
        #expect(try daemon.guidectl(["start", "quick"]).status == 0)
        try Self.waitForStatus(daemon) { $0.audio?.ok == false }
        #expect(try daemon.guidectl(["stop"]).status == 0)
        let status = try daemon.guidectl(["status"])
        #expect(status.stdout == "idle · no sound\n", "\(status.stdout)")
        let long = try daemon.guidectl(["status", "--long"])
        #expect(long.stdout.contains(#"audio: cannot open ALSA device "hw:9": "#), "\(long.stdout)")
        let json = try daemon.guidectl(["status", "--json"])
        #expect(json.stdout.contains(#""ok":false"#))
    }

    // 9
    @Test("completion offers a session whose file broke while the daemon keeps its previous version")
    func completionKeepsBrokenSessions() throws {
        let daemon = try DaemonFixture(sessions: ["evening": TestSessions.quick, "quick": TestSessions.quick])
        try daemon.start()
        try daemon.writeSession("evening", #"{"title": "Evening", "steps": ["#)
        #expect(try daemon.guidectl(["reload"]).status == 65)
        #expect(try daemon.guidectl(["show", "evening"]).status == 0)
        let script = try daemon.guidectl(["--generate-completion-script", "bash"]).stdout
        #expect(script.contains("---completion start -- positional@0"), "the completion call changed: update this test")
        let completion = try daemon.guidectl(["---completion", "start", "--", "positional@0", "0", "2", "ev"])
        #expect(completion.stdout.split(separator: "\n").contains("evening"), "\(completion)")
    }

    // 10
    @Test("new --from points the copy's $schema at the schema it named")
    func newKeepsTheSchema() throws {
        let daemon = try DaemonFixture()
        let withSchema = TestSessions.quick.replacingOccurrences(of: "{\"title\"", with: "{\"$schema\": \"session.schema.json\", \"title\"")
        try daemon.writeSession("base", withSchema)
        try #"{"$schema": "https://json-schema.org/draft/2020-12/schema"}"#.write(
            toFile: daemon.sessionsDirectory + "/session.schema.json", atomically: true, encoding: .utf8)
        let result = try daemon.guidectl(["new", "mine", "--from", "base"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = result.stdout.trimmingCharacters(in: .newlines)
        let copy = try String(contentsOfFile: path, encoding: .utf8)
        let expected = "file://" + daemon.sessionsDirectory + "/session.schema.json"
        #expect(copy.contains("\"$schema\": \"\(expected)\""), "\(copy)")
        #expect(FileManager.default.fileExists(atPath: String(expected.dropFirst("file://".count))))
        #expect(try daemon.guidectl(["validate", path]).status == 0)
    }

    // 11
    @Test("log values with quotes inside are logfmt-escaped")
    func logValuesEscaped() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "hw:9")
        try daemon.start()
        #expect(try daemon.guidectl(["start", "quick"]).status == 0)
        try Self.waitForStatus(daemon) { $0.audio?.ok == false }
        let line = try #require(daemon.log.split(separator: "\n").first { $0.contains("hw:9") && $0.contains("error=") }, "\(daemon.log)")
        #expect(line.contains(#"error="cannot open ALSA device \"hw:9\": "#), "\(line)")
        // Every value is a bare word or a quoted string whose inner quotes are escaped.
        let afterError = line[line.range(of: "error=\"")!.upperBound...]
        var escaped = false
        var closed = false
        for character in afterError {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { closed = true; break }
        }
        #expect(closed)
    }

    // 12
    @Test("Ctrl-C in start --watch leaves no ^C and says the session keeps running")
    func controlCInStartWatch() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let terminal = try TmuxTerminal(
            width: 80, command: [DaemonFixture.binary("guidectl"), "start", "long", "--watch"], environment: Self.environment(daemon))
        try terminal.waitFor("the watch line") { $0.contains("▶ long") }
        try terminal.send("C-c")
        let text = try terminal.waitFor("the goodbye line") { $0.contains("keeps running") }
        #expect(text.contains("long keeps running; guidectl stop ends it"), "\(text)")
        #expect(!text.contains("^"), "\(text)")
        #expect(try daemon.request(.status).status?.state == .running)
    }

    // 13
    @Test("every thread of the daemon, idle and running a session, is one README names")
    func threadsAsDocumented() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        #expect(try daemon.guidectl(["start", "quick"]).status == 0)
        let pid = try #require(daemon.process?.pid)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        let names = Set(tasks.compactMap { try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/comm", encoding: .utf8) }.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        })
        let readme = try String(contentsOfFile: GuidectlTests.packageRoot + "/README.md", encoding: .utf8)
        for name in names {
            #expect(readme.contains("`\(name)`"), "README does not name the thread \(name)")
        }
    }

    // 14
    @Test("test-sound names the device and what to try, in guidectl's words, as the daemon says it")
    func testSoundMessage() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "hw:9")
        let result = try daemon.guidectl(["test-sound", "--device", "hw:9"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(#"guidectl: cannot open ALSA device "hw:9": "#), "\(result.stderr)")
        #expect(result.stderr.contains("guidectl devices"), "\(result.stderr)")
        try daemon.start()
        #expect(try daemon.guidectl(["start", "quick"]).status == 0)
        let status = try Self.waitForStatus(daemon) { $0.audio?.ok == false }
        let daemonSays = try #require(status.audio?.error)
        #expect(result.stderr.contains(daemonSays), "test-sound: \(result.stderr); daemon: \(daemonSays)")
    }
}

/// Colour: on a terminal, never in a pipe, never with NO_COLOR.
@Suite("guidectl colour", .serialized)
struct ColourTests {
    static let escape = "\u{1B}["

    @Test("no colour when stdout is not a terminal")
    func noColourInAPipe() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let start = try daemon.guidectl(["start", "long"])
        #expect(start.stdout.contains("▶ long"))
        #expect(!start.stdout.contains(Self.escape))
        #expect(!(try daemon.guidectl(["status"]).stdout.contains(Self.escape)))
    }

    @Test("coloured glyph and bar on a terminal; none there with NO_COLOR set")
    func colourOnATerminalUnlessNoColor() throws {
        // 64 s: one of the bar's 20 cells fills after 3.2 s.
        let daemon = try DaemonFixture(sessions: ["long": #"{"title": "L", "steps": [{"name": "A", "duration": 4}, {"name": "B", "duration": "1m"}]}"#])
        try daemon.start()
        #expect(try daemon.guidectl(["start", "long"]).status == 0)
        let ctl = DaemonFixture.binary("guidectl")
        let coloured = try TmuxTerminal(width: 100, command: [ctl, "watch"], environment: CarefulUserTests.environment(daemon))
        let text = try coloured.waitFor("a bar with a filled cell", escapes: true) { $0.contains("#") }
        #expect(text.contains("\u{1B}[32m▶"), "\(text.debugDescription)")
        #expect(text.contains("\u{1B}[32m#") || text.contains("[\u{1B}[32m"), "bar not coloured: \(text.debugDescription)")
        // A shell keeps the pane alive after `status` exits, so that its line stays to be read.
        let keep = ["/bin/sh", "-c", "\"$0\" status; exec sleep 60", ctl]
        let status = try TmuxTerminal(width: 100, command: keep, environment: CarefulUserTests.environment(daemon))
        #expect(try status.waitFor("the status", escapes: true) { $0.contains("to go") }.contains("\u{1B}[32m▶"))
        let plain = try TmuxTerminal(
            width: 100, command: keep, environment: CarefulUserTests.environment(daemon, ["NO_COLOR": "1"]))
        let plainText = try plain.waitFor("the status", escapes: true) { $0.contains("to go") }
        #expect(plainText.contains("▶ long"))
        #expect(!plainText.contains("\u{1B}[32m"), "\(plainText.debugDescription)")
    }
}
