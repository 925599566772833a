/// One sine tone of a cue: its pitch, its length and the silence that follows it
/// before the next tone of the same cue.
public struct Tone: Sendable, Hashable {
    /// Pitch in hertz (20 … 20,000).
    public var frequency: Double
    /// Length of the tone in milliseconds (10 … 2,000), ramps included.
    public var milliseconds: Int
    /// Silence after the tone in milliseconds (0 … 1,000), before the next tone.
    public var gapMilliseconds: Int

    public init(frequency: Double, milliseconds: Int, gapMilliseconds: Int = 0) {
        self.frequency = frequency
        self.milliseconds = milliseconds
        self.gapMilliseconds = gapMilliseconds
    }

    public static let frequencyRange: ClosedRange<Double> = 20...20_000
    public static let millisecondsRange: ClosedRange<Int> = 10...2_000
    public static let gapRange: ClosedRange<Int> = 0...1_000
    /// At most this many tones in one cue.
    public static let maximumPerCue = 8
}
