import GuideAudio
import GuideCore
import GuideTestSupport
import Logging
import Testing

@Suite("CuePlayer on a real ALSA file device")
struct CuePlayerEndToEndTests {
    @Test("ten cues 50–100 ms apart land in the capture in order, with their frequencies")
    func tenCuesInOrder() async throws {
        let file = TemporaryRawFile()
        defer { file.remove() }
        let played = Collector<CuePlayback>()
        let statuses = Collector<Status.AudioStatus>()
        let player = CuePlayer(
            device: file.device, logger: .quiet,
            onStatusChange: { statuses.append($0) }, onPlayed: { played.append($0) })
        player.beginSession(sounds: .standard)

        let kinds: [CueKind] = [.start, .countdown, .countdown, .countdown, .step, .side, .rest, .countdown, .step, .end]
        var due = SuspendingClock.now + .milliseconds(100)
        for (index, kind) in kinds.enumerated() {
            player.schedule(kind, due: due)
            due = due + .milliseconds(50 + (index * 17) % 51)
        }
        let results = try await played.waitForCount(kinds.count)
        player.endSession()
        player.shutdown()

        #expect(results.map(\.kind) == kinds)
        #expect(results.allSatisfy { $0.ok && !$0.dropped })
        #expect(statuses.items.isEmpty, "the device never failed, so the status never changed")
        #expect(player.status == Status.AudioStatus(device: file.device, ok: true, error: nil))

        // The capture is the cues' samples back to back (guide writes no silence between
        // cues); walk it cue by cue and tone by tone.
        let captured = try ToneAnalysis.readRawS16LE(path: file.path)
        let palette = RenderedPalette.rendered(.standard, volume: CueSounds.defaultVolume, sampleRate: 48_000)
        #expect(captured.count == kinds.reduce(0) { $0 + palette.samples(for: $1).count })
        var offset = 0
        for kind in kinds {
            let length = palette.samples(for: kind).count
            guard offset + length <= captured.count else { break }
            #expect(Array(captured[offset..<(offset + length)]) == palette.samples(for: kind), "\(kind) at sample \(offset)")
            var toneStart = offset
            for tone in CueSounds.standard.parts(for: kind).compactMap(\.tone) {
                let count = tone.milliseconds * 48
                let measured = ToneAnalysis.dominantFrequency(of: captured[toneStart..<(toneStart + count)], sampleRate: 48_000)
                #expect(abs(measured - tone.frequency) <= 2, "\(kind): expected \(tone.frequency) Hz, found \(measured) Hz")
                toneStart += count + tone.gapMilliseconds * 48
            }
            offset += length
        }
    }

    @Test("the null device keeps ≥100 cues within a few ms of their due time")
    func timing() async throws {
        let played = Collector<CuePlayback>()
        let player = CuePlayer(device: "null", logger: .quiet, onStatusChange: { _ in }, onPlayed: { played.append($0) })
        player.beginSession(sounds: .standard)
        let count = 120
        let start = SuspendingClock.now + .milliseconds(50)
        let kinds: [CueKind] = [.countdown, .step, .side, .countdown]
        for index in 0..<count {
            player.schedule(kinds[index % kinds.count], due: start + .milliseconds(20 * index))
        }
        let results = try await played.waitForCount(count, timeout: .seconds(30))
        player.endSession()
        player.shutdown()

        #expect(results.allSatisfy { $0.ok && !$0.dropped })
        let lateness = results.map { Double($0.lateness.components.attoseconds) / 1e15 + Double($0.lateness.components.seconds) * 1000 }.sorted()
        let p50 = lateness[lateness.count / 2]
        let p99 = lateness[min(lateness.count - 1, Int((Double(lateness.count) * 0.99).rounded(.up)) - 1)]
        print("CuePlayer timing on null, \(count) cues: lateness p50 \(fmt(p50)) ms, p99 \(fmt(p99)) ms, min \(fmt(lateness.first!)) ms, max \(fmt(lateness.last!)) ms")
        #expect(lateness.first! >= 0, "no cue may start early")
        #expect(p99 < 50)
    }

    func fmt(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
