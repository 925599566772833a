/// The sounds of every cue kind and the playback volume: the default palette of the
/// design contract, with a session's `cues` overrides applied on top.
public struct CueSounds: Sendable, Hashable {
    /// Each kind's tones and sound files, in playing order.
    public var parts: [CueKind: [CuePart]]
    /// Linear gain, 0 … 1.
    public var volume: Double

    public init(parts: [CueKind: [CuePart]], volume: Double) {
        self.parts = parts
        self.volume = volume
    }

    /// The volume used when neither the session nor the daemon sets one.
    public static let defaultVolume = 0.8

    /// The palette of docs/session-format.md ("Cues"); the frequencies are part of the contract.
    public static let standard = CueSounds(
        parts: [
            .start: [.tone(Tone(frequency: 523, milliseconds: 150)), .tone(Tone(frequency: 784, milliseconds: 150))],
            .step: [.tone(Tone(frequency: 880, milliseconds: 200))],
            .rest: [.tone(Tone(frequency: 440, milliseconds: 300))],
            .side: [
                .tone(Tone(frequency: 660, milliseconds: 120, gapMilliseconds: 80)),
                .tone(Tone(frequency: 660, milliseconds: 120)),
            ],
            .countdown: [.tone(Tone(frequency: 1320, milliseconds: 60))],
            .end: [
                .tone(Tone(frequency: 784, milliseconds: 180)),
                .tone(Tone(frequency: 659, milliseconds: 180)),
                .tone(Tone(frequency: 523, milliseconds: 180)),
            ],
        ],
        volume: defaultVolume
    )

    /// The parts for `kind`, never empty.
    public func parts(for kind: CueKind) -> [CuePart] {
        parts[kind] ?? CueSounds.standard.parts[kind]!
    }
}
