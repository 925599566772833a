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

    @Test("kill -9 during a running session: restored paused, counting the time it ran")
    func runningSession() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let started = try #require(try daemon.request(.start, session: "long").status)
        Thread.sleep(forTimeInterval: 1)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        let killedAfter = try #require(started.step?.remaining) - 1
        try daemon.start()
        let restored = try #require(try daemon.request(.status).status)
        #expect(restored.state == .paused)
        #expect(restored.step?.index == 1)
        // It ran about 1 s (plus the restart) before it was frozen.
        #expect(abs((restored.step?.remaining ?? 0) - killedAfter) < 1, "\(restored.step?.remaining ?? 0) vs \(killedAfter)")
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
