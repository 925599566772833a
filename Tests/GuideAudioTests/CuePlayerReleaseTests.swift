@testable import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

/// Within a session, a device left unused is released so that other programs can use it,
/// and opened again before the next cue that was announced.
@Suite("CuePlayer releases an idle device")
struct CuePlayerReleaseTests {
    @Test("released after the idle time, reopened ahead of the announced cue, which plays on time")
    func releaseAndReopen() async throws {
        let sink = RecordingSink()
        let player = CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in },
            idleRelease: .milliseconds(150))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        player.schedule(.start, due: .now)
        _ = try await sink.waitForCues(1)
        // Nothing more is queued: the device goes back to the system.
        let released = try await sink.waitUntil(timeout: .seconds(60)) { !$0.isOpen }
        #expect(released.events.suffix(1) == [.closed])

        // The cue is announced and queued at once (so that a test runner starved by other
        // tests cannot make it late); the announcement opens the device openLead ahead of
        // it, which the queued cue alone would not. Times are taken on the player's thread.
        let due = SuspendingClock.now + .milliseconds(600)
        player.expectCue(at: due)
        player.schedule(.step, due: due)
        let cues = try await sink.waitForCues(2, timeout: .seconds(60))
        let reopenedAt = try #require(sink.snapshot.openedAt.last)
        #expect(sink.snapshot.openedAt.count == 2)
        #expect(reopenedAt <= due - PlaybackWorker.openLead / 2, "opened \(due - reopenedAt) before the cue")
        let lateness = cues[1].handedAt - due
        #expect(lateness >= .zero && lateness < .milliseconds(50), "\(lateness)")
        let events = sink.events.map { event -> String in
            switch event {
            case .opened: "open"
            case .played: "play"
            case .closed: "close"
            case .failed: "fail"
            }
        }
        #expect(events.prefix(5) == ["open", "play", "close", "open", "play"], "\(events)")
    }

    @Test("cues closer together than the idle time keep the device open")
    func busyDeviceStaysOpen() async throws {
        let sink = RecordingSink()
        let player = CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in },
            idleRelease: .milliseconds(500))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let start = SuspendingClock.now
        for n in 0..<5 { player.schedule(.countdown, due: start + .milliseconds(100 * n)) }
        _ = try await sink.waitForCues(5)
        // (After the last cue the device may already be on its way back: look up to it.)
        let events = sink.events
        let lastPlay = try #require(events.lastIndex { if case .played = $0 { true } else { false } })
        #expect(!events[..<lastPlay].contains(.closed), "\(events)")
        #expect(events[..<lastPlay].filter { if case .opened = $0 { true } else { false } }.count == 1)
    }
}
