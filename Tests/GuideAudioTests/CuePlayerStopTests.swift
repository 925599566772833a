@testable import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

/// A stopped or paused session holds the device no longer, and an announced cue of a
/// stopped session never opens it again (issue 14, item 3).
@Suite("CuePlayer after stop and pause")
struct CuePlayerStopTests {
    @Test("a stopped session's announced cue does not reopen the device")
    func stopForgetsAnnouncedCue() async throws {
        let sink = RecordingSink()
        let player = CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in }, idleRelease: .milliseconds(100))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        player.schedule(.start, due: .now)
        _ = try await sink.waitForCues(1)
        // A long step: the device is released, the countdown announced.
        _ = try await sink.waitUntil(timeout: .seconds(5)) { !$0.isOpen }
        player.expectCue(at: .now + .milliseconds(500))
        player.endSession()  // stopped
        try await Task.sleep(for: .milliseconds(800))  // past the announced cue
        #expect(sink.events.filter { $0 == .opened(sampleRate: 48_000) }.count == 1, "\(sink.events)")
        #expect(!sink.snapshot.isOpen)
    }

    @Test("pause releases the device at once (not after the idle time); the next cue opens it again")
    func pauseReleases() async throws {
        let sink = RecordingSink()
        let player = CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in }, idleRelease: .seconds(60))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        player.schedule(.start, due: .now)
        _ = try await sink.waitForCues(1)
        player.expectCue(at: .now + .milliseconds(300))
        player.pauseSession()
        _ = try await sink.waitUntil(timeout: .seconds(5)) { !$0.isOpen }
        try await Task.sleep(for: .milliseconds(500))
        #expect(!sink.snapshot.isOpen, "the announcement made before the pause is forgotten")
        player.schedule(.step, due: .now)
        _ = try await sink.waitForCues(2)
        #expect(sink.events.filter { $0 == .opened(sampleRate: 48_000) }.count == 2, "\(sink.events)")
    }
}
