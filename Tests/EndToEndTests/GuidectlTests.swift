import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// guidectl as a person types it, against the real daemon.
@Suite("guidectl")
struct GuidectlTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Stops a daemon that guidectl started on its own (it is detached from the test).
    static func stopAutoStarted(_ daemon: DaemonFixture) {
        if let pid = try? daemon.request(.version).version?.pid { kill(pid, SIGTERM) }
    }

    @Test("start --watch starts a daemon on its own and follows the session to its end")
    func startWatchAutoStarts() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        defer { Self.stopAutoStarted(daemon) }
        let result = try daemon.guidectl(["start", "quick", "--watch"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Caution: Start slowly.")
        #expect(lines.dropFirst().first?.contains("▶ quick  1/3 Reach") == true, "\(lines)")
        let events = lines.dropFirst(2).map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
        #expect(events == ["step 2/3 Twist (left) 0:02", "side 2/3 Twist (right) 0:02", "step 3/3 Breathe 0:02", "finished quick"], "\(lines)")
        #expect(daemon.historyLines.count == 1)
    }

    @Test("status without a daemon says so and exits 69, starting nothing")
    func statusUnreachable() throws {
        let daemon = try DaemonFixture()
        let result = try daemon.guidectl(["status"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("no daemon running on \(daemon.socketPath)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test("status in plain, --json and --format forms; control commands and their exit codes")
    func controlAndStatus() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        #expect(try daemon.guidectl(["status"]).stdout == "idle\n")
        #expect(try daemon.guidectl(["stop"]).status == 1)
        #expect(try daemon.guidectl(["start", "long"]).status == 0)

        let plain = try daemon.guidectl(["status"])
        #expect(plain.stdout.hasPrefix("▶ long  1/3 First  "), "\(plain.stdout)")
        #expect(plain.stdout.contains(" left · "))

        let json = try daemon.guidectl(["status", "--json"])
        let status = try WireCoding.decode(Status.self, from: Array(json.stdout.utf8.dropLast()))
        #expect(status.state == .running)
        #expect(status.step?.name == "First")

        _ = try daemon.guidectl(["pause"])
        let format = try daemon.guidectl(["status", "--format", "{state}|{session}|{step}|{index}/{count}|{remaining}|{{x}}"])
        #expect(format.stdout == "paused|long|First|1/3|5:00|{x}\n" || format.stdout == "paused|long|First|1/3|4:59|{x}\n", "\(format.stdout)")
        let bad = try daemon.guidectl(["status", "--format", "{stepp}"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("{stepp}"))

        #expect(try daemon.guidectl(["pause"]).status == 1)
        #expect(try daemon.guidectl(["resume"]).status == 0)
        let skipped = try daemon.guidectl(["skip"])
        #expect(skipped.stdout.contains("2/3 Second (left)"), "\(skipped.stdout)")
        #expect(try daemon.guidectl(["back"]).stdout.contains("1/3 First"))
        #expect(try daemon.guidectl(["toggle"]).stdout.hasPrefix("⏸"))
        let busy = try daemon.guidectl(["start", "long"])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("--replace"))
        #expect(try daemon.guidectl(["stop"]).status == 0)
        let history = try daemon.guidectl(["history"])
        #expect(history.stdout.contains("long"))
        #expect(history.stdout.contains("stopped"))
    }

    @Test("list and show ask the daemon; unknown names get a hint and exit 1")
    func listAndShow() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        let list = try daemon.guidectl(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("quick"))
        #expect(list.stdout.contains("Quick"))
        let show = try daemon.guidectl(["show", "quick"])
        #expect(show.stdout.contains("Caution: Start slowly."))
        #expect(show.stdout.contains("total 8s"), "\(show.stdout)")
        let unknown = try daemon.guidectl(["show", "quik"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean \"quick\""))
    }

    @Test("show cooldown works without a daemon, from the bundled sessions")
    func showOffline() throws {
        let daemon = try DaemonFixture()
        let result = try daemon.guidectl(["show", "cooldown"], environment: ["GUIDE_SESSIONS_PATH": Self.packageRoot + "/Sessions"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Back-friendly cooldown"))
        #expect(result.stdout.contains("Knee-to-chest (left)"))
        #expect(result.stdout.contains("total "))
    }

    @Test("validate: bundled sessions pass; a broken copy exits 65 with the file, the path and the fix")
    func validate() throws {
        let daemon = try DaemonFixture()
        let bundled = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot + "/Sessions")
            .filter { $0.hasSuffix(".json") && $0 != "session.schema.json" }.map { Self.packageRoot + "/Sessions/" + $0 }
        #expect(bundled.count == 6)
        let ok = try daemon.guidectl(["validate"] + bundled)
        #expect(ok.status == 0, "\(ok.stderr)")

        let text = try String(contentsOfFile: Self.packageRoot + "/Sessions/cooldown.json", encoding: .utf8)
        let broken = text.replacingOccurrences(of: #""duration": "45s""#, with: #""duration": "90""#)
        #expect(broken != text)
        let path = daemon.root + "/cooldown.json"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try daemon.guidectl(["validate", path])
        #expect(result.status == 65)
        #expect(result.stderr.range(of: #"cooldown\.json: steps\[\d+\]\.duration: "90" is not a duration \(use 90, "90s" or "1m30s"\)"#, options: .regularExpression) != nil, "\(result.stderr)")
    }

    @Test("test-sound plays every cue with its label; a missing card is one clear line and exit 1")
    func testSound() throws {
        let daemon = try DaemonFixture()
        let capture = daemon.root + "/palette.raw"
        let result = try daemon.guidectl(["test-sound", "--device", "file:'\(capture)',raw"])
        #expect(result.status == 0, "\(result.stderr)")
        let labels = result.stdout.split(separator: "\n").map { $0.split(separator: "  ").first.map(String.init) ?? "" }
        #expect(labels == ["session start", "step start", "countdown tick", "side switch", "rest step start", "session end"])
        #expect(result.stdout.contains("660 Hz 120 ms, 80 ms pause, 660 Hz 120 ms"))
        let samples = try ToneAnalysis.readRawS16LE(path: capture)
        let pitches = ToneAnalysis.pitchSequence(samples, candidates: [440, 523, 660, 784, 880, 1320])
        #expect(pitches == [523, 784, 880, 1320, 660, 660, 440, 784, 660, 523], "\(pitches)")

        let missing = try daemon.guidectl(["test-sound", "--device", "hw:9"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "guidectl: cannot open ALSA device \"hw:9\": No such file or directory (see 'guidectl devices' for names)\n")
        let devices = try daemon.guidectl(["devices"])
        #expect(devices.status == 0)
        #expect(devices.stdout.contains("null"))
    }
}
