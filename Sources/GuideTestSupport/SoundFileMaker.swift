import FoundationEssentials

/// Makes real sound files with `sox` for the tests of cue sound files: the formats
/// libsndfile must read (WAV, FLAC, Ogg Vorbis, chosen by the file's extension), at the
/// rates and channel counts people's files come in.
public enum SoundFileMaker {
    /// A sine of `hertz` lasting `seconds` at `sampleRate` with `channels` channels, at
    /// `amplitude` of full scale; `silentRight` keeps every channel after the first silent
    /// (to check the mix-down averages channels). Returns `path`.
    @discardableResult
    public static func sine(
        _ path: String, hertz: Double, seconds: Double, sampleRate: Int, channels: Int = 1, amplitude: Double = 0.5,
        silentRight: Bool = false
    ) throws -> String {
        var arguments = ["-n", "-r", String(sampleRate), "-c", String(channels), path, "synth", String(seconds), "sine", String(hertz), "vol", String(amplitude)]
        if silentRight, channels > 1 {
            arguments += ["remix", "1"] + Array(repeating: "0", count: channels - 1)
        }
        try sox(arguments)
        return path
    }

    /// Runs sox; a machine without it fails the test with one line saying what to install.
    public static func sox(_ arguments: [String]) throws {
        guard let sox = ["/usr/bin/sox", "/usr/local/bin/sox", "/bin/sox"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixtureError("sox is needed to make the test sound files: apt-get install sox")
        }
        let result = try CommandResult.run(sox, arguments, environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else {
            throw FixtureError("sox \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}
