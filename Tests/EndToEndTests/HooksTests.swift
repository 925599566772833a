import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Executables in `$XDG_CONFIG_HOME/guide/hooks/` run on events, detached from the engine.
@Suite("event hooks")
struct HooksTests {
    static func installHook(_ daemon: DaemonFixture, _ name: String, _ script: String, executable: Bool = true) throws {
        let directory = daemon.root + "/config/guide/hooks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, executable ? 0o755 : 0o644)
    }

    /// Whether `pid` runs (a zombie waiting for a parent that does not reap counts as gone).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    static func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test("each event runs the hook with GUIDE_EVENT, GUIDE_SESSION, GUIDE_STEP and the status JSON on stdin")
    func environmentAndStdin() throws {
        let daemon = try DaemonFixture(sessions: ["short": StatusBarTests.short])
        let out = daemon.root + "/hook-out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Self.installHook(
            daemon, "10-record",
            """
            #!/bin/sh
            f="\(out)/$(date +%s%N)-$GUIDE_EVENT"
            { echo "$GUIDE_EVENT|$GUIDE_SESSION|$GUIDE_STEP|$GUIDE_SIDE"; cat; } > "$f.tmp" && mv "$f.tmp" "$f.txt"
            """)
        try Self.installHook(daemon, "20-not-executable", "#!/bin/sh\ntouch \(out)/ran-anyway.txt\n", executable: false)
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        #expect(try daemon.request(.start, session: "short").ok)
        _ = try SubscriptionTests.events(on: watcher, until: .finished)
        #expect(eventually { Self.files(in: out).count >= 4 })
        #expect(try daemon.request(.start, session: "short").ok)
        #expect(try daemon.request(.stop).ok)
        #expect(eventually { Self.files(in: out).count >= 6 })

        // Files are named by the time each hook ran. The first four events are a second
        // apart; the last two (start, then stop at once) run concurrently, as hooks do, so
        // their files may be stamped in either order.
        let files = Self.files(in: out)
        var records: [(header: String, status: Status)] = []
        for file in files {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let lines = text.split(separator: "\n", maxSplits: 1).map(String.init)
            let status = try WireCoding.decode(Status.self, from: Array(lines[1].utf8))
            records.append((lines[0], status))
        }
        #expect(files.prefix(4).map { $0.split(separator: "-").last.map(String.init) ?? "" } == [
            "started.txt", "step.txt", "side.txt", "finished.txt",
        ])
        #expect(records.prefix(4).map(\.header) == [
            "started|short|A|", "step|short|B|left", "side|short|B|right", "finished|short|B|right",
        ])
        #expect(records.prefix(4).map(\.status.state) == [.running, .running, .running, .finished])
        let last = records.dropFirst(4).sorted { $0.header < $1.header }
        #expect(last.map(\.header) == ["started|short|A|", "stopped|short||"])
        #expect(last.map(\.status.state) == [.running, .idle])
        #expect(records[1].status.step?.index == 2)
        #expect(records[0].status.title == "Short")
        #expect(!FileManager.default.fileExists(atPath: out + "/ran-anyway.txt"))
        #expect(daemon.log.contains("hook skipped: not executable"))
    }

    @Test("a hook that hangs delays no event and is killed, with its children, after the time limit")
    func hangingHook() throws {
        let daemon = try DaemonFixture(sessions: ["short": StatusBarTests.short], environment: ["GUIDE_HOOK_TIMEOUT": "1.5"])
        let out = daemon.root + "/hook-out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Self.installHook(
            daemon, "hang",
            """
            #!/bin/sh
            echo $$ > "\(out)/leader-$GUIDE_EVENT"
            sleep 60 &
            echo $! > "\(out)/child-$GUIDE_EVENT"
            wait
            """)
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        let begin = ContinuousClock.now
        #expect(try daemon.request(.start, session: "short").ok)
        var arrivals: [(Event.Kind, Duration)] = []
        while let event = try watcher.nextEvent(timeout: .seconds(10)) {
            arrivals.append((event.event, ContinuousClock.now - begin))
            if event.event == .finished { break }
        }
        #expect(arrivals.map(\.0) == [.started, .step, .side, .finished])
        // On time: step at 2 s, side at 3 s, finished at 4 s (each hook would hang 60 s).
        for (kind, expected) in zip([Event.Kind.step, .side, .finished], [2.0, 3.0, 4.0]) {
            let at = arrivals.first { $0.0 == kind }!.1
            #expect(abs(at.seconds - expected) < 0.4, "\(kind) at \(at)")
        }
        // Every hook's leader and its background child are gone after the limit.
        var pids: [pid_t] = []
        let recorded = eventually {
            pids = []
            for event in ["started", "step", "side", "finished"] {
                for role in ["leader", "child"] {
                    let text = try? String(contentsOfFile: "\(out)/\(role)-\(event)", encoding: .utf8)
                    if let pid = text.flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) { pids.append(pid) }
                }
            }
            return pids.count == 8
        }
        #expect(recorded, "\(pids)")
        #expect(eventually(timeout: .seconds(5)) { pids.allSatisfy { !Self.isAlive($0) } }, "\(pids)")
        #expect(eventually { daemon.log.components(separatedBy: "hook killed: it ran past the time limit").count - 1 == 4 }, "\(daemon.log)")
        #expect(daemon.log.contains("warning hook killed"))
    }

    @Test("a failing hook is logged at warning with its exit status; the session goes on")
    func failingHook() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try Self.installHook(daemon, "fail", "#!/bin/sh\necho 'hook says no' >&2\nexit 3\n")
        try daemon.start()
        #expect(try daemon.request(.start, session: "long").ok)
        #expect(eventually { daemon.log.contains("hook failed") }, "\(daemon.log)")
        let line = daemon.log.split(separator: "\n").first { $0.contains("hook failed") }.map(String.init) ?? ""
        #expect(line.contains("warning"))
        #expect(line.contains("status=3"))
        #expect(line.contains("event=started"))
        #expect(daemon.log.contains("hook says no"), "the hook's stderr goes to the daemon's log")
        #expect(try daemon.request(.status).status?.state == .running)
    }
}
