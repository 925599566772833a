import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

@Suite("ToneSynthesizer")
struct ToneSynthesizerTests {
    let synthesizer = ToneSynthesizer(sampleRate: 48_000)

    /// Each tone's window in a rendered cue: tones and their gaps are laid end to end.
    func toneWindows(_ tones: [Tone], sampleRate: Int = 48_000) -> [Range<Int>] {
        var start = 0
        var windows: [Range<Int>] = []
        for tone in tones {
            let count = tone.milliseconds * sampleRate / 1000
            windows.append(start..<(start + count))
            start += count + tone.gapMilliseconds * sampleRate / 1000
        }
        return windows
    }

    @Test("every palette tone has its exact frequency (±2 Hz)", arguments: CueKind.allCases)
    func frequencies(kind: CueKind) {
        let tones = CueSounds.standard.parts(for: kind).compactMap(\.tone)
        let samples = synthesizer.render(tones, volume: 0.8)
        for (tone, window) in zip(tones, toneWindows(tones)) {
            let measured = ToneAnalysis.dominantFrequency(of: samples[window], sampleRate: 48_000)
            #expect(abs(measured - tone.frequency) <= 2, "\(kind): expected \(tone.frequency) Hz, measured \(measured) Hz")
        }
    }

    @Test("the frequency check can tell tones 3 Hz apart (so ±2 Hz means something)")
    func analysisResolution() {
        for frequency in [523.0, 1320] {
            let shifted = synthesizer.render([Tone(frequency: frequency + 3, milliseconds: 60)], volume: 0.8)
            let measured = ToneAnalysis.dominantFrequency(of: shifted, sampleRate: 48_000)
            #expect(abs(measured - frequency) > 2, "\(frequency + 3) Hz read as \(measured) Hz")
            #expect(abs(measured - (frequency + 3)) <= 0.5)
        }
    }

    @Test("frequencies stay exact at another sample rate")
    func otherSampleRate() {
        let synthesizer = ToneSynthesizer(sampleRate: 44_100)
        for frequency in [440.0, 659, 1320] {
            let samples = synthesizer.render([Tone(frequency: frequency, milliseconds: 100)], volume: 1)
            #expect(samples.count == 4_410)
            let measured = ToneAnalysis.dominantFrequency(of: samples, sampleRate: 44_100)
            #expect(abs(measured - frequency) <= 2, "expected \(frequency) Hz, measured \(measured) Hz")
        }
    }

    @Test("lengths are exact: ms × rate / 1000 samples per tone and per gap", arguments: CueKind.allCases)
    func lengths(kind: CueKind) {
        let tones = CueSounds.standard.parts(for: kind).compactMap(\.tone)
        let samples = synthesizer.render(tones, volume: 0.8)
        let expected = tones.reduce(0) { $0 + ($1.milliseconds + $1.gapMilliseconds) * 48 }
        #expect(samples.count == expected)
        // The sound itself, measured from the signal, lasts as long as the tones say (±1 ms);
        // back-to-back tones (gap 0) read as one stretch of sound.
        let ranges = ToneAnalysis.soundRanges(in: samples, threshold: 8, minimumSilence: 48)
        var expectedStretches: [Int] = []
        var current = 0
        for tone in tones {
            current += tone.milliseconds
            if tone.gapMilliseconds > 0 {
                expectedStretches.append(current)
                current = 0
            }
        }
        if current > 0 { expectedStretches.append(current) }
        #expect(ranges.map { $0.count / 48 }.count == expectedStretches.count)
        for (range, milliseconds) in zip(ranges, expectedStretches) {
            let measured = Double(range.count) / 48
            #expect(abs(measured - Double(milliseconds)) <= 1, "\(kind): stretch of \(measured) ms, expected \(milliseconds) ms")
        }
    }

    @Test("the side cue's two tones are 80 ms apart")
    func sideGap() throws {
        let samples = synthesizer.render(CueSounds.standard.parts(for: .side).compactMap(\.tone), volume: 0.8)
        let ranges = ToneAnalysis.soundRanges(in: samples, threshold: 8, minimumSilence: 48)
        try #require(ranges.count == 2)
        let gap = Double(ranges[1].lowerBound - ranges[0].upperBound) / 48
        #expect(abs(gap - 80) <= 1, "gap of \(gap) ms")
    }

    @Test("every tone starts and ends at zero and ramps in over 5 ms (no clicks)", arguments: CueKind.allCases)
    func ramps(kind: CueKind) {
        let tones = CueSounds.standard.parts(for: kind).compactMap(\.tone)
        let samples = synthesizer.render(tones, volume: 1)
        let full = Double(Int16.max)
        for window in toneWindows(tones) {
            #expect(abs(Int(samples[window.first!])) <= 1)
            #expect(abs(Int(samples[window.last!])) <= 1, "last sample \(samples[window.last!])")
            // The first and last millisecond stay far below full scale…
            #expect(Double(ToneAnalysis.peak(of: samples[window.prefix(48)])) < 0.12 * full)
            #expect(Double(ToneAnalysis.peak(of: samples[window.suffix(48)])) < 0.12 * full)
            // …and the middle reaches it.
            let middle = window.dropFirst(240).dropLast(240)
            #expect(Double(ToneAnalysis.peak(of: samples[middle])) > 0.98 * full)
            // No step between neighbouring samples larger than the sine itself can make.
            let tone = tones[toneWindows(tones).firstIndex(of: window)!]
            let maxStep = full * 2 * Double.pi * tone.frequency / 48_000 * 1.05 + 1
            let largestStep = window.dropFirst().map { abs(Int(samples[$0]) - Int(samples[$0 - 1])) }.max() ?? 0
            #expect(Double(largestStep) <= maxStep)
        }
    }

    @Test("gaps are silence")
    func gapsAreSilent() {
        let tones = [Tone(frequency: 660, milliseconds: 20, gapMilliseconds: 30), Tone(frequency: 660, milliseconds: 20)]
        let samples = synthesizer.render(tones, volume: 1)
        #expect(samples[960..<2_400].allSatisfy { $0 == 0 })
    }

    @Test("volume scales the amplitude linearly and is clamped to 0…1")
    func volume() {
        let tone = [Tone(frequency: 880, milliseconds: 200)]
        let loud = ToneAnalysis.peak(of: synthesizer.render(tone, volume: 0.8))
        let soft = ToneAnalysis.peak(of: synthesizer.render(tone, volume: 0.4))
        #expect(abs(Double(loud) / Double(soft) - 2) < 0.01)
        #expect(abs(Double(loud) - 0.8 * 32_767) < 40)
        #expect(synthesizer.render(tone, volume: 0).allSatisfy { $0 == 0 })
        #expect(synthesizer.render(tone, volume: 3) == synthesizer.render(tone, volume: 1))
    }

    @Test("a tone shorter than two ramps still starts and ends at zero")
    func shortTone() {
        let samples = synthesizer.render([Tone(frequency: 1000, milliseconds: 6)], volume: 1)
        #expect(samples.count == 288)
        #expect(samples.first == 0)
        #expect(abs(Int(samples.last!)) <= 1)
        #expect(ToneAnalysis.peak(of: samples) > 30_000)
    }
}
