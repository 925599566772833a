import ArgumentParser
import GuideAudio

/// `guided`'s spoken-prompt flags, each with an environment twin.
struct VoiceOptions: ParsableArguments {
    @Flag(help: "Speak each step's name, side and length, 'switch sides', 'last step' and 'session complete' after the cue tones, for sessions that do not set \"voice\" themselves (env GUIDE_VOICE=1).")
    var voice = false

    @Option(name: .customLong("voice-name"), help: ArgumentHelp("espeak-ng voice, e.g. en, en-us, de (env GUIDE_VOICE_NAME; default en).", valueName: "name"))
    var voiceName: String?

    @Option(name: .customLong("voice-rate"), help: ArgumentHelp("Words per minute, 80–450 (env GUIDE_VOICE_RATE; default \(VoiceSettings.defaultRate)).", valueName: "wpm"))
    var voiceRate: Int?

    @Option(name: .customLong("voice-volume"), help: ArgumentHelp("Voice volume 0–1 (env GUIDE_VOICE_VOLUME; default 1).", valueName: "gain"))
    var voiceVolume: Double?

    func validate() throws {
        if let voiceRate, !VoiceSettings.rateRange.contains(voiceRate) {
            throw ValidationError("--voice-rate must be from 80 to 450 words per minute, not \(voiceRate)")
        }
        if let voiceVolume, !(0...1).contains(voiceVolume) {
            throw ValidationError("--voice-volume must be between 0 and 1, not \(voiceVolume)")
        }
        if let voiceName, voiceName.isEmpty || voiceName.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw ValidationError("--voice-name must be an espeak-ng voice name such as en or en-us (see 'espeak-ng --voices')")
        }
    }

    /// Flags first, then the environment, then the defaults.
    func settings(environment: [String: String]) throws -> VoiceSettings {
        var enabled = voice
        if !enabled, let text = environment["GUIDE_VOICE"], !text.isEmpty {
            guard ["1", "0", "true", "false", "yes", "no"].contains(text) else {
                throw ValidationError("GUIDE_VOICE must be 1 or 0, not '\(text)'")
            }
            enabled = ["1", "true", "yes"].contains(text)
        }
        var rate = voiceRate ?? VoiceSettings.defaultRate
        if voiceRate == nil, let text = environment["GUIDE_VOICE_RATE"] {
            guard let value = Int(text), VoiceSettings.rateRange.contains(value) else {
                throw ValidationError("GUIDE_VOICE_RATE must be from 80 to 450 words per minute, not '\(text)'")
            }
            rate = value
        }
        var volume = voiceVolume ?? 1
        if voiceVolume == nil, let text = environment["GUIDE_VOICE_VOLUME"] {
            guard let value = Double(text), (0...1).contains(value) else {
                throw ValidationError("GUIDE_VOICE_VOLUME must be a number between 0 and 1, not '\(text)'")
            }
            volume = value
        }
        let name = voiceName ?? environment["GUIDE_VOICE_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "en"
        return VoiceSettings(enabled: enabled, name: name, rate: rate, volume: volume)
    }
}
