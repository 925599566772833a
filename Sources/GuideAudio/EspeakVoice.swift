import CEspeakShim

/// espeak-ng through CEspeakShim, the one file that calls it. espeak-ng keeps global
/// state and is not thread-safe: a process makes one of these, and uses it from one
/// thread (``SpeechSynthesizer``'s).
///
/// The shim opens libespeak-ng (with dlopen) the first time one of these is made, so a
/// daemon that does not speak never loads it or the ~35 libraries it needs; when it is not
/// installed, `init` fails like any other voice problem ("voice unavailable
/// (libespeak-ng.so.1: cannot open shared object file: … (is libespeak-ng1 installed?));
/// cues are tones only").
final class EspeakVoice {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The rate espeak-ng produces samples at (22050 Hz).
    let sampleRate: Int

    init(settings: VoiceSettings) throws(Failure) {
        var rate: Int32 = 0
        var result = espeak_shim_initialize(nil, nil, &rate)
        guard result == 0 else { throw Self.failure(result) }
        sampleRate = Int(rate)
        result = espeak_shim_set_voice(settings.name)
        guard result == 0 else {
            espeak_shim_terminate()
            throw Failure(description: "\(Self.text(result)): \"\(settings.name)\"")
        }
        _ = espeak_shim_set_rate(Int32(settings.rate))
        _ = espeak_shim_set_volume(100)
    }

    deinit {
        espeak_shim_terminate()
    }

    /// `text` spoken, as mono samples at ``sampleRate``.
    func synthesize(_ text: String) throws(Failure) -> [Int16] {
        var samples: UnsafeMutablePointer<Int16>?
        var count = 0
        let result = espeak_shim_synthesize(text, &samples, &count)
        guard result == 0 else { throw Self.failure(result) }
        defer { espeak_shim_free(samples) }
        guard let samples, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: samples, count: count))
    }

    static var version: String {
        espeak_shim_version().map { String(cString: $0) } ?? "unknown"
    }

    private static func text(_ code: Int32) -> String {
        String(cString: espeak_shim_error_text(code))
    }

    private static func failure(_ code: Int32) -> Failure {
        Failure(description: text(code))
    }
}
