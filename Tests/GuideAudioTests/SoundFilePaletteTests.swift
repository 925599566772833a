import Foundation
import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

/// Sound files as cues on the audio side: rendered once per palette, resampled to the
/// device's rate, scaled by the volume like a tone, and played by `test-sound`.
@Suite("sound files in the palette")
struct SoundFilePaletteTests {
    /// A session `bell.json` whose step cue is a 0.5 s, 1000 Hz, 44.1 kHz stereo WAV at half
    /// scale, a 100 ms gap, then an 880 Hz tone; loaded as the daemon loads it.
    static func bellSession() throws -> (session: Session, directory: String) {
        var template = Array((NSTemporaryDirectory() + "guide-audio-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        let directory = String(cString: made)
        try FileManager.default.createDirectory(atPath: directory + "/sounds", withIntermediateDirectories: true)
        try SoundFileMaker.sine(directory + "/sounds/bell.wav", hertz: 1000, seconds: 0.5, sampleRate: 44_100, channels: 2)
        let text = #"""
            {"title": "Bell", "cues": {"volume": 0.5, "step": [{"file": "sounds/bell.wav", "gapMs": 100}, {"hz": 880, "ms": 100}]},
             "steps": [{"name": "A", "duration": 5}]}
            """#
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/bell.json"))
        return (try SessionFile.read(path: directory + "/bell.json"), directory)
    }

    @Test("a 44.1 kHz stereo file is rendered at 48 kHz mono, at the volume, followed by its gap")
    func resampled() throws {
        let (session, directory) = try Self.bellSession()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let palette = RenderedPalette(sounds: session.sounds, volume: 0.5, sampleRate: 48_000)
        let samples = palette.samples(for: .step)
        // 0.5 s at 48 kHz, 100 ms of gap, 100 ms of tone.
        #expect(samples.count == 24_000 + 4_800 + 4_800)
        let sound = samples[..<24_000]
        #expect(abs(ToneAnalysis.dominantFrequency(of: sound, sampleRate: 48_000) - 1000) <= 2)
        // Half scale in the file, both channels alike, times the volume 0.5.
        let peak = Double(ToneAnalysis.peak(of: sound)) / 32767
        #expect(abs(peak - 0.25) < 0.01, "peak \(peak)")
        #expect(samples[24_000..<28_800].allSatisfy { $0 == 0 })
        #expect(abs(ToneAnalysis.dominantFrequency(of: samples[28_800...], sampleRate: 48_000) - 880) <= 2)
        #expect(ToneAnalysis.soundRanges(in: samples).map(\.count).first.map { abs($0 - 24_000) < 96 } == true)
        // The other cues keep the standard tones.
        #expect(palette.samples(for: .end) == standardSamples(.end, volume: 0.5))
        // At the file's own rate nothing is resampled: the samples are the file's, scaled.
        guard case .file(let clip) = session.sounds.parts(for: .step)[0] else {
            Issue.record("not a file part")
            return
        }
        let native = RenderedPalette(sounds: session.sounds, volume: 1, sampleRate: 44_100).samples(for: .step)
        #expect(Array(native[..<clip.samples.count]) == clip.samples)
    }

    @Test("test-sound plays a session's own cues: the file's samples under the file's name")
    func testSoundPlaysTheSession() throws {
        let (session, directory) = try Self.bellSession()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sink = RecordingSink()
        var labels: [(CueKind, String)] = []
        try TestSound(device: "test", sounds: session.sounds, pause: .zero, sinkFactory: { _ in sink }).run { labels.append(($0, $1)) }
        #expect(labels.first { $0.0 == .step }?.1 == "sounds/bell.wav 0.50 s, 100 ms pause, 880 Hz 100 ms")
        #expect(labels.first { $0.0 == .rest }?.1 == "440 Hz 300 ms")
        let palette = RenderedPalette.rendered(session.sounds, volume: 0.5, sampleRate: 48_000)
        #expect(sink.cues.map(\.samples) == TestSound.order.map { palette.samples(for: $0) })
        #expect(sink.cues[1].samples.count == 33_600)
    }
}
