import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A daemon killed mid-session comes back with the session paused where it was.
@Suite("guided crash resume")
struct CrashResumeTests {
    @Test("kill -9 during a paused session, restart: paused at the same step, same remaining time")
    func pausedSession() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        _ = try daemon.request(.skip)
        let paused = try #require(try daemon.request(.pause).status)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        try daemon.start()
        let restored = try #require(try daemon.request(.status).status)
        #expect(restored.state == .paused)
        #expect(restored.restored)
        #expect(restored.session == "long")
        #expect(restored.step?.index == paused.step?.index)
        #expect(restored.step?.side == paused.step?.side)
        #expect(abs((restored.step?.remaining ?? 0) - (paused.step?.remaining ?? 0)) < 1)
        #expect(daemon.log.contains("restored session after an unexpected exit"))
        let resumed = try daemon.request(.resume)
        #expect(resumed.status?.state == .running)
    }

    /// Polls the daemon until the running session has reached `elapsed` seconds.
    static func waitUntilElapsed(_ daemon: DaemonFixture, _ elapsed: Double) throws -> Status {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let status = try #require(try daemon.request(.status).status)
            if status.elapsed >= elapsed { return status }
            usleep(20_000)
        }
        throw FixtureError("the session did not reach \(elapsed) s")
    }

    @Test("kill -9 during a running session: restored paused where it died, the time it was dead not counted")
    func runningSession() async throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        let before = try Self.waitUntilElapsed(daemon, 2.2)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        try await Task.sleep(for: .seconds(3))  // dead time: must not count
        try daemon.start()
        let restored = try #require(try daemon.request(.status).status)
        #expect(restored.state == .paused)
        #expect(restored.step?.index == 1)
        // The last-alive mark is at most about a second old when the daemon dies.
        #expect(restored.elapsed <= before.elapsed + 0.5, "\(restored.elapsed) vs \(before.elapsed): the dead time was counted")
        #expect(restored.elapsed >= before.elapsed - 1.5, "\(restored.elapsed) vs \(before.elapsed)")
    }

    @Test("a 3 s session killed at 1 s and restarted 4 s later comes back paused near 1 s, not finished")
    func shortSession() async throws {
        let three = #"{"title": "Three", "steps": [{"name": "A", "duration": 1}, {"name": "B", "duration": 1}, {"name": "C", "duration": 1}]}"#
        let daemon = try DaemonFixture(sessions: ["three": three])
        try daemon.start()
        _ = try daemon.request(.start, session: "three")
        let before = try Self.waitUntilElapsed(daemon, 1.1)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        try await Task.sleep(for: .seconds(4))
        try daemon.start()
        let restored = try #require(try daemon.request(.status).status)
        #expect(restored.state == .paused)
        #expect(restored.elapsed < 3)
        #expect(restored.elapsed <= before.elapsed + 0.5 && restored.elapsed >= before.elapsed - 1.5, "\(restored.elapsed) vs \(before.elapsed)")
        #expect(daemon.historyLines.isEmpty, "\(daemon.historyLines)")
    }

    @Test("a restored session is the session as it started, not its file as edited since")
    func definitionKept() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        let paused = try #require(try daemon.request(.pause).status)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        try daemon.writeSession("long", #"{"title": "Edited", "steps": [{"name": "Only", "duration": 7}]}"#)
        try daemon.start()
        let restored = try #require(try daemon.request(.status).status)
        #expect(restored.restored)
        #expect(restored.title == "Long")
        #expect(restored.step?.name == paused.step?.name)
        #expect(restored.step?.count == 3)
        #expect(restored.total == paused.total)
        // A new start takes the file as it is now.
        _ = try daemon.request(.stop)
        #expect(try daemon.request(.start, session: "long").status?.title == "Edited")
    }

    @Test("a finished or stopped session leaves no snapshot")
    func noSnapshotAfterStop() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        #expect(FileManager.default.fileExists(atPath: daemon.stateDirectory + "/running.json"))
        _ = try daemon.request(.stop)
        #expect(!FileManager.default.fileExists(atPath: daemon.stateDirectory + "/running.json"))
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        try daemon.start()
        #expect(try daemon.request(.status).status?.state == .idle)
    }
}
