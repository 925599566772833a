import GuideCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plays every cue of a palette once, in session order, for `guidectl test-sound`: a
/// person setting up `--audio-device` hears each sound and reads which cue it is. Runs
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

    /// A line describing a cue's tones, e.g. `660 Hz 120 ms, 80 ms pause, 660 Hz 120 ms`.
    public static func describe(_ tones: [Tone]) -> String {
        var parts: [String] = []
        for (index, tone) in tones.enumerated() {
            let hertz = tone.frequency == tone.frequency.rounded() ? String(Int(tone.frequency)) : String(tone.frequency)
            parts.append("\(hertz) Hz \(tone.milliseconds) ms")
            if tone.gapMilliseconds > 0, index < tones.count - 1 {
                parts.append("\(tone.gapMilliseconds) ms pause")
            }
        }
        return parts.joined(separator: ", ")
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
            label(kind, Self.describe(palette.tones[kind] ?? []))
            try sink.play(palette.samples(for: kind))
        }
    }
}
