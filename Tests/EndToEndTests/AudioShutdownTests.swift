import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A stop never waits on the sound device (issue 13, item 6).
@Suite("guided stops whatever its player is doing")
struct AudioShutdownTests {
    @Test("SIGTERM while the player is blocked opening a FIFO no one reads: exits 0 within 5 s, socket removed", .timeLimit(.minutes(10)))
    func sigtermWhileOpeningAFIFO() throws {
        let probe = try DaemonFixture()
        let fifo = probe.root + "/cues.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "file:'\(fifo)',raw")
        try daemon.start()
        #expect(try daemon.request(.start, session: "quick").ok)
        // Opening a FIFO for writing blocks until a reader comes; none will.
        #expect(eventually(timeout: .seconds(5)) { daemon.log.contains("session started") })
        usleep(300_000)
        let sent = ContinuousClock.now
        daemon.signal(SIGTERM)
        let status = try daemon.waitForExit(timeout: .seconds(10))
        let took = ContinuousClock.now - sent
        #expect(status == 0, "\(daemon.log)")
        #expect(took < .seconds(5), "stopped after \(took)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.log.contains("audio playback did not stop in time"), "\(daemon.log)")
        #expect(daemon.historyLines.contains { $0.contains("abandoned") }, "\(daemon.historyLines)")
    }
}
