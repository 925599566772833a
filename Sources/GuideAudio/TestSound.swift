import GuideCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plays every cue of a palette once, in session order, for `guidectl test-sound`: a
/// person setting up `--audio-device` hears each sound and reads which cue it is; with a
/// session, that session's own cues (its tones and sound files) at its volume. Runs
/// synchronously on the calling thread (it is a one-shot command, not the daemon).
public struct TestSound {
    /// The order a session meets the cues in.
    public static let order: [CueKind] = [.start, .step, .countdown, .side, .rest, .end]

    public let device: String
    public let sampleRate: Int
    public let sounds: CueSounds
    public let volume: Double
    /// Silence between two cues, so that they are heard apart.
    public let pause: Duration
    private let makeSink: (String) -> any AudioSink

    /// - Parameter sinkFactory: `nil` plays through ALSA; tests pass a recording sink.
    public init(
        device: String, sampleRate: Int = 48_000, sounds: CueSounds = .standard, volume: Double? = nil,
        pause: Duration = .milliseconds(600), sinkFactory: ((String) -> any AudioSink)? = nil
    ) {
        self.device = device
        self.sampleRate = sampleRate
        self.sounds = sounds
        self.volume = min(1, max(0, volume ?? sounds.volume))
        self.pause = pause
        self.makeSink = sinkFactory ?? { ALSASink(device: $0) }
    }

    /// A line describing a cue's parts, e.g. `660 Hz 120 ms, 80 ms pause, 660 Hz 120 ms` or
    /// `sounds/bell.wav 1.25 s`.
    public static func describe(_ cue: [CuePart]) -> String {
        var words: [String] = []
        for (index, part) in cue.enumerated() {
            switch part {
            case .tone(let tone):
                let hertz = tone.frequency == tone.frequency.rounded() ? String(Int(tone.frequency)) : String(tone.frequency)
                words.append("\(hertz) Hz \(tone.milliseconds) ms")
            case .file(let clip):
                let milliseconds = clip.samples.count * 1000 / max(1, clip.sampleRate)
                let hundredths = (milliseconds + 5) / 10
                let fraction = hundredths % 100 < 10 ? "0\(hundredths % 100)" : "\(hundredths % 100)"
                words.append("\(clip.path) \(hundredths / 100).\(fraction) s")
            }
            if part.gapMilliseconds > 0, index < cue.count - 1 {
                words.append("\(part.gapMilliseconds) ms pause")
            }
        }
        return words.joined(separator: ", ")
    }

    /// Opens the device, then for each cue calls `label` (before the sound starts) and
    /// plays it. Throws the first error, e.g. an ``ALSAError`` naming the device.
    public func run(label: (CueKind, String) -> Void) throws {
        let palette = RenderedPalette.rendered(sounds, volume: volume, sampleRate: sampleRate)
        let sink = makeSink(device)
        defer { sink.close() }
        try sink.open(sampleRate: sampleRate)
        for (index, kind) in Self.order.enumerated() {
            if index > 0 {
                MonotonicCondition.sleep(until: .now + pause)
            }
            label(kind, Self.describe(palette.parts[kind] ?? []))
            try sink.play(palette.samples(for: kind))
        }
    }
}
