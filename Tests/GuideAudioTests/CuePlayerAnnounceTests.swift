import GuideAudio
@testable import GuideCore
import GuideTestSupport
import Testing

/// Cues queued ahead of their time (``CuePlayer/announce(_:due:)``) sound when due without
/// waiting for the engine, which confirms, moves or withdraws them later.
@Suite("CuePlayer: announced cues")
struct CuePlayerAnnounceTests {
    func makePlayer(_ sink: RecordingSink, played: Collector<CuePlayback> = Collector()) -> CuePlayer {
        CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in },
            onPlayed: { played.append($0) }, idleRelease: .seconds(3_600))
    }

    func cue(_ index: Int, _ kind: CueKind) -> Cue {
        Cue(index: index, kind: kind, offset: .seconds(index), segment: 0, secondsLeft: 0)
    }

    @Test("an announced cue plays at its time, though it is confirmed only afterwards, and once")
    func playsOnTimeAndOnce() async throws {
        let sink = RecordingSink()
        let played = Collector<CuePlayback>()
        let player = makePlayer(sink, played: played)
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let due = SuspendingClock.now + .milliseconds(60)
        player.announce([cue(1, .step)], due: due)
        try await sink.waitUntil { $0.cues.count == 1 }
        // The engine's timer comes late and confirms the cue the thread already played.
        try await Task.sleep(for: .milliseconds(40))
        player.schedule(cue(1, .step), due: due)
        player.endSession()
        let snapshot = try await sink.waitUntil { $0.events.last == .closed }
        #expect(snapshot.cues.count == 1)
        #expect(played.items.map(\.due) == [due])
        #expect(played.items.allSatisfy { $0.handedAt - $0.due < .milliseconds(30) })
    }

    @Test("confirmed before its time: played once; moved by a skip: played at the new time only")
    func confirmedOrMoved() async throws {
        let sink = RecordingSink()
        let played = Collector<CuePlayback>()
        let player = makePlayer(sink, played: played)
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let now = SuspendingClock.now
        player.announce([cue(1, .step)], due: now + .milliseconds(100))
        player.schedule(cue(1, .step), due: now + .milliseconds(101))
        player.announce([cue(2, .step)], due: now + .seconds(2))
        // A skip: cue 2 is due at once, not in 2 s.
        player.schedule(cue(2, .step), due: now + .milliseconds(150))
        player.withdrawAnnounced()
        try await sink.waitUntil { $0.cues.count == 2 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(played.items.map(\.due) == [now + .milliseconds(100), now + .milliseconds(150)])
        #expect(sink.snapshot.cues.count == 2)
    }

    @Test("withdrawn, paused or ended before its time: an announced cue never sounds")
    func withdrawn() async throws {
        for change in ["withdraw", "pause", "end"] {
            let sink = RecordingSink()
            let player = makePlayer(sink)
            defer { player.shutdown() }
            player.beginSession(sounds: .standard)
            player.announce([cue(1, .countdown), cue(2, .step)], due: .now + .milliseconds(80))
            switch change {
            case "withdraw": player.withdrawAnnounced()
            case "pause": player.pauseSession()
            default: player.endSession()
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(sink.snapshot.cues.isEmpty, "\(change)")
        }
    }
}
