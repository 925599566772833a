/// The tones of every cue kind and the playback volume: the default palette of the
/// design contract, with a session's `cues` overrides applied on top.
public struct CueSounds: Sendable, Hashable {
    public var tones: [CueKind: [Tone]]
    /// Linear gain, 0 … 1.
    public var volume: Double

    public init(tones: [CueKind: [Tone]], volume: Double) {
        self.tones = tones
        self.volume = volume
    }

    /// The volume used when neither the session nor the daemon sets one.
    public static let defaultVolume = 0.8

    /// The palette of docs/session-format.md ("Cues"); the frequencies are part of the contract.
    public static let standard = CueSounds(
        tones: [
            .start: [Tone(frequency: 523, milliseconds: 150), Tone(frequency: 784, milliseconds: 150)],
            .step: [Tone(frequency: 880, milliseconds: 200)],
            .rest: [Tone(frequency: 440, milliseconds: 300)],
            .side: [
                Tone(frequency: 660, milliseconds: 120, gapMilliseconds: 80),
                Tone(frequency: 660, milliseconds: 120),
            ],
            .countdown: [Tone(frequency: 1320, milliseconds: 60)],
            .end: [
                Tone(frequency: 784, milliseconds: 180),
                Tone(frequency: 659, milliseconds: 180),
                Tone(frequency: 523, milliseconds: 180),
            ],
        ],
        volume: defaultVolume
    )

    /// The tones for `kind`, never empty.
    public func tones(for kind: CueKind) -> [Tone] {
        tones[kind] ?? CueSounds.standard.tones[kind]!
    }
}
