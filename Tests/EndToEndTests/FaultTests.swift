import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 7, item 5: things break around a running daemon — its history file, its state
/// directory, its socket directory, its sound device. Each is reported, and the session
/// runs to its end.
@Suite("guided when things around it fail")
struct FaultTests {
    static let tiny = #"{"title": "Tiny", "steps": [{"name": "Only", "duration": 1}]}"#

    /// Starts `tiny` and returns its events up to `finished`.
    static func runTiny(_ daemon: DaemonFixture) throws -> [Event] {
        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        #expect(try daemon.request(.start, session: "tiny").ok)
        return try SubscriptionTests.events(on: watcher, until: .finished, timeout: .seconds(10))
    }

    @Test("a torn last history line from an older version is skipped with a warning; the next entry starts on a line of its own")
    func tornHistoryLine() throws {
        let daemon = try DaemonFixture(sessions: ["tiny": Self.tiny])
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        let old = HistoryEntry(
            session: "tiny", title: "Tiny", outcome: .finished, startedAt: "2026-01-01T10:00:00Z", endedAt: "2026-01-01T10:00:01Z",
            elapsed: 1, total: 1)
        let torn = Array(#"{"session":"tiny","title":"Ti"#.utf8)
        try Data(WireCoding.encodeLine(old) + torn).write(to: URL(fileURLWithPath: daemon.stateDirectory + "/history.jsonl"))
        try daemon.start()

        #expect(try Self.runTiny(daemon).last?.event == .finished)
        let history = try #require(try daemon.request(.history).history)
        #expect(history.count == 2)
        #expect(history.first == old)
        #expect(history.last?.outcome == .finished && history.last?.startedAt != old.startedAt)
        #expect(daemon.log.contains("skipped unreadable history lines"))
        let lines = daemon.historyLines
        try #require(lines.count == 3, "\(lines)")
        #expect(lines[1] == String(decoding: torn, as: UTF8.self), "the torn line is left alone, not glued to the new one")
        #expect(lines[2].hasPrefix(#"{"#) && lines[2].contains(#""outcome":"finished""#))
    }

    @Test("a state directory that cannot be created: reported, and the session runs to its end")
    func unusableStateDirectory() throws {
        // Root ignores permissions, so make the state directory's parent a regular file.
        let daemon = try DaemonFixture(sessions: ["tiny": Self.tiny])
        _ = FileManager.default.createFile(atPath: daemon.root + "/not-a-dir", contents: Data("x".utf8))
        daemon.extraEnvironment["XDG_STATE_HOME"] = daemon.root + "/not-a-dir/state"
        try daemon.start()
        #expect(daemon.waitForLog("state directory cannot be used"))

        let events = try Self.runTiny(daemon)
        #expect(events.last?.event == .finished)
        #expect(events.last?.status.remaining == 0)
        #expect(daemon.waitForLog("history not written"))
        #expect(daemon.log.contains("Not a directory"))
        #expect(try daemon.request(.status).status?.state == .finished)
        #expect(daemon.isRunning)
    }

    @Test("a full disk (history.jsonl on /dev/full): reported, and the session runs to its end")
    func fullDisk() throws {
        let daemon = try DaemonFixture(sessions: ["tiny": Self.tiny])
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: daemon.stateDirectory + "/history.jsonl", withDestinationPath: "/dev/full")
        try daemon.start()
        #expect(try Self.runTiny(daemon).last?.event == .finished)
        #expect(daemon.waitForLog("history not written"))
        #expect(daemon.log.contains("No space left on device"))
        #expect(daemon.isRunning)
    }

    @Test("the socket directory removed while running: logged, the socket put back, the session untouched")
    func socketDirectoryRemoved() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        #expect(try daemon.request(.start, session: "long").ok)
        try FileManager.default.removeItem(atPath: daemon.root + "/run")
        #expect(daemon.waitForLog("socket file removed while running"))
        let line = daemon.log.split(separator: "\n").first { $0.contains("socket file removed while running") }
        #expect(line?.contains("warning") == true)
        #expect(daemon.waitForLog("socket re-created"))
        try daemon.waitUntilReady(timeout: .seconds(5))
        let status = try #require(try daemon.request(.status).status)
        #expect(status.state == .running && status.session == "long")
        var info = stat()
        #expect(stat(daemon.root + "/run", &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(daemon.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // Only the socket file this time, and a second daemon on the path is still refused.
        unlink(daemon.socketPath)
        #expect(daemon.waitForLog("socket re-created", count: 2))
        try daemon.waitUntilReady(timeout: .seconds(5))
        let second = try DaemonFixture(sessions: ["long": TestSessions.long])
        let rival = try CommandResult.run(
            DaemonFixture.binary("guided"), ["--socket", daemon.socketPath, "--sessions-dir", second.sessionsDirectory, "--audio-device", "null"],
            environment: second.environment, timeout: .seconds(10))
        #expect(rival.status == 1)
        #expect(rival.stderr.contains("already running"))
    }

    @Test("a pipe audio device whose reader exits: audio.ok=false with the error, and the session finishes")
    func pipeReaderExits() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "file:'|head -c 1000 >/dev/null',raw")
        try daemon.start()
        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        #expect(try daemon.request(.start, session: "quick").ok)
        let events = try SubscriptionTests.events(on: watcher, until: .finished, timeout: .seconds(15))
        #expect(events.last?.event == .finished)
        #expect(events.last?.status.remaining == 0)
        let failure = try #require(events.first { $0.event == .audio && $0.status.audio?.ok == false })
        #expect(failure.status.audio?.error?.isEmpty == false)
        #expect(daemon.log.contains("audio device failed"))
        #expect(daemon.isRunning)
        print("pipe device: \(failure.status.audio?.error ?? "")")
    }
}
