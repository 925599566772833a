/// How `guided` speaks its prompts (`--voice`, `--voice-name`, `--voice-rate`,
/// `--voice-volume`). A session's own `"voice": true/false` wins over ``enabled``.
public struct VoiceSettings: Sendable, Hashable {
    /// Whether sessions without a `voice` field speak.
    public var enabled: Bool
    /// An espeak-ng voice name: `en`, `en-us`, `de`, `fr`… (`espeak-ng --voices`).
    public var name: String
    /// Words per minute, 80–450.
    public var rate: Int
    /// 0–1, applied to the synthesized samples (1: espeak-ng's normal loudness).
    public var volume: Double

    public static let rateRange = 80...450
    public static let defaultRate = 165

    public init(enabled: Bool = false, name: String = "en", rate: Int = VoiceSettings.defaultRate, volume: Double = 1) {
        self.enabled = enabled
        self.name = name
        self.rate = min(Self.rateRange.upperBound, max(Self.rateRange.lowerBound, rate))
        self.volume = min(1, max(0, volume))
    }
}
