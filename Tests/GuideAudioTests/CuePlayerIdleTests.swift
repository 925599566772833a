@testable import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

@Suite("CuePlayer when idle")
struct CuePlayerIdleTests {
    /// Proving that nothing happens takes a little waiting; 300 ms is plenty for a thread
    /// that polled even at 10 Hz to show it.
    static let quietPeriod: Duration = .milliseconds(300)

    @Test("an idle player's thread never wakes up; one far-off cue costs one timed wait")
    func noPolling() async throws {
        let sink = RecordingSink()
        let player = CuePlayer(device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in }, idleRelease: .seconds(3_600))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        try await sink.waitUntil { $0.isOpen }
        // The `begin` may have woken the thread once; from here on nothing is queued.
        let idle = player.shared.condition.withLock { player.shared.wakeUps }
        try await Task.sleep(for: Self.quietPeriod)
        #expect(player.shared.condition.withLock { player.shared.wakeUps } == idle)

        player.schedule(.end, due: .now + .seconds(3_600))
        try await Task.sleep(for: Self.quietPeriod)
        // Woken by the schedule itself, then asleep until the cue's time.
        #expect(player.shared.condition.withLock { player.shared.wakeUps } <= idle + 1)
        #expect(sink.cues.isEmpty)
    }
}
