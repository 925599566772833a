import Dispatch
import GuideAudio
import GuideCore
import GuideTestSupport
import Logging
import Synchronization
import Testing

@Suite("CuePlayer")
struct CuePlayerTests {
    func makePlayer(
        _ sink: RecordingSink, device: String = "test", volumeOverride: Double? = nil,
        statuses: Collector<Status.AudioStatus> = Collector(), played: Collector<CuePlayback> = Collector()
    ) -> CuePlayer {
        CuePlayer(
            device: device, volumeOverride: volumeOverride, logger: .quiet, sinkFactory: { _ in sink },
            onStatusChange: { statuses.append($0) }, onPlayed: { played.append($0) }, idleRelease: .seconds(3_600))
    }

    @Test("the device is opened at beginSession and released at endSession, after the queued cues")
    func sessionLifecycle() async throws {
        let sink = RecordingSink()
        let player = makePlayer(sink)
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        try await sink.waitUntil { $0.isOpen }
        #expect(sink.events == [.opened(sampleRate: 48_000)])

        let now = SuspendingClock.now
        player.schedule(.start, due: now + .milliseconds(30))
        player.schedule(.step, due: now + .milliseconds(80))
        player.endSession()
        let snapshot = try await sink.waitUntil { $0.events.last == .closed }
        #expect(snapshot.events == [
            .opened(sampleRate: 48_000), .played(sampleCount: standardSamples(.start).count),
            .played(sampleCount: standardSamples(.step).count), .closed,
        ])
        #expect(snapshot.cues.map(\.samples) == [standardSamples(.start), standardSamples(.step)])
    }

    @Test("a cue outside a session opens the device for itself and releases it")
    func cueOutsideSession() async throws {
        let sink = RecordingSink()
        let player = makePlayer(sink)
        defer { player.shutdown() }
        player.schedule(.countdown, due: .now)
        let snapshot = try await sink.waitUntil { $0.events.last == .closed }
        #expect(snapshot.events == [.opened(sampleRate: 48_000), .played(sampleCount: 60 * 48), .closed])
    }

    @Test("cues for the same instant play back to back, in scheduling order")
    func sameInstant() async throws {
        let sink = RecordingSink()
        let player = makePlayer(sink)
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let due = SuspendingClock.now + .milliseconds(40)
        for kind in [CueKind.end, .start, .side] {
            player.schedule(kind, due: due)
        }
        let cues = try await sink.waitForCues(3)
        #expect(cues.map(\.samples) == [standardSamples(.end), standardSamples(.start), standardSamples(.side)])
        #expect(cues.allSatisfy { $0.handedAt >= due })
        #expect(cues[2].handedAt - cues[0].handedAt < .milliseconds(50))
    }

    @Test("a cue more than 250 ms late is dropped, later ones still play")
    func lateCueDropped() async throws {
        let sink = RecordingSink()
        let played = Collector<CuePlayback>()
        let player = makePlayer(sink, played: played)
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let now = SuspendingClock.now
        player.schedule(.step, due: now - .seconds(1))
        player.schedule(.countdown, due: now - .milliseconds(100))
        player.schedule(.end, due: now + .milliseconds(20))
        let results = try await played.waitForCount(3)
        #expect(results.map(\.kind) == [.step, .countdown, .end])
        #expect(results.map(\.dropped) == [true, false, false])
        #expect(results.map(\.ok) == [false, true, true])
        #expect(sink.cues.map(\.samples) == [standardSamples(.countdown), standardSamples(.end)])
    }

    @Test("schedule returns at once while the device is blocked in a write")
    func scheduleNeverBlocks() async throws {
        final class StuckSink: AudioSink, @unchecked Sendable {
            let entered = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            func open(sampleRate: Int) throws {}
            func play(_ samples: [Int16]) throws {
                entered.signal()
                release.wait()
            }
            func close() {}
        }
        let sink = StuckSink()
        let player = CuePlayer(device: "stuck", logger: .quiet, sinkFactory: { _ in sink }, onStatusChange: { _ in }, idleRelease: .seconds(3_600))
        player.beginSession(sounds: .standard)
        player.schedule(.step, due: .now)
        sink.entered.wait()
        let clock = SuspendingClock()
        let elapsed = clock.measure {
            for index in 0..<100 {
                player.schedule(.countdown, due: .now + .seconds(60 + index))
            }
            player.endSession()
        }
        #expect(elapsed < .milliseconds(20), "schedule blocked for \(elapsed)")
        sink.release.signal()
        player.shutdown()
    }

    @Test("shutdown discards far-off cues, closes the device, and can be repeated")
    func shutdown() async throws {
        let sink = RecordingSink()
        let player = makePlayer(sink)
        player.beginSession(sounds: .standard)
        player.schedule(.end, due: .now + .seconds(3_600))
        try await sink.waitUntil { $0.isOpen }
        let clock = SuspendingClock()
        let elapsed = clock.measure { player.shutdown() }
        #expect(elapsed < .seconds(1))
        #expect(sink.events == [.opened(sampleRate: 48_000), .closed])
        player.shutdown()
        player.schedule(.step, due: .now)
        player.beginSession(sounds: .standard)
        #expect(sink.events == [.opened(sampleRate: 48_000), .closed])
    }

    @Test("volume: a session's own volume wins, else the override, else the palette's")
    func volumeRule() async throws {
        var own = CueSounds.standard
        own.volume = 0.5
        #expect(CuePlayer.effectiveVolume(sounds: own, hasOwnVolume: true, volumeOverride: 0.25) == 0.5)
        #expect(CuePlayer.effectiveVolume(sounds: own, hasOwnVolume: false, volumeOverride: 0.25) == 0.25)
        #expect(CuePlayer.effectiveVolume(sounds: own, hasOwnVolume: false, volumeOverride: nil) == 0.5)

        let sink = RecordingSink()
        let player = makePlayer(sink, volumeOverride: 0.25)
        defer { player.shutdown() }
        player.beginSession(sounds: own)
        player.schedule(.step, due: .now)
        player.endSession()
        player.beginSession(sounds: own, hasOwnVolume: true)
        player.schedule(.step, due: .now + .milliseconds(10))
        let cues = try await sink.waitForCues(2)
        #expect(abs(Double(ToneAnalysis.peak(of: cues[0].samples)) - 0.25 * 32_767) < 20)
        #expect(abs(Double(ToneAnalysis.peak(of: cues[1].samples)) - 0.5 * 32_767) < 20)
    }
}
