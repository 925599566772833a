import CSndfileShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads the sound file a cue names (`{"file": "sounds/bell.wav"}`) into a ``SoundClip``:
/// the path resolved against the session file's directory, the file opened and checked
/// here (a regular file, opened without blocking, so a FIFO named `bell.wav` cannot hang a
/// reload), then decoded by libsndfile through CSndfileShim. Every failure is one sentence
/// that quotes the path as the session wrote it.
enum SoundFileReader {
    /// Why a sound file was refused; ``SessionDecoder`` puts it at the entry's JSON path.
    struct Problem: Error {
        var message: String
    }

    /// Reads `written` (as in the session file) relative to `directory` (the session file's).
    static func read(_ written: String, relativeTo directory: String, gapMilliseconds: Int) throws(Problem) -> SoundClip {
        let quoted = JSONValue.quoted(written)
        let home = getenv("HOME").map { String(cString: $0) }
        guard let path = resolve(written, relativeTo: directory, home: home) else {
            throw Problem(message: "cannot read \(quoted): write the path from \"/\", from \"~/\" (with HOME set) or relative to the session file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            throw Problem(message: "cannot read \(quoted): \(SessionFile.errorText(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw Problem(message: "cannot read \(quoted): \(SessionFile.errorText(errno))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Problem(message: "\(quoted) is a directory, not a sound file")
        default: throw Problem(message: "\(quoted) is not a regular file (a cue sound must be a plain WAV, FLAC or Ogg Vorbis file)")
        }
        var sound = sndfile_shim_sound()
        var error = [CChar](repeating: 0, count: 512)
        let status = sndfile_shim_read_mono(fd, Double(SoundClip.maximumSeconds), &sound, &error, error.count)
        let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case 0:
            defer { sndfile_shim_free(sound.samples) }
            let samples = Array(UnsafeBufferPointer(start: sound.samples, count: Int(sound.frames)))
            return SoundClip(
                path: written, resolvedPath: path, samples: samples, sampleRate: Int(sound.sample_rate), channels: Int(sound.channels),
                gapMilliseconds: gapMilliseconds)
        case Int32(SNDFILE_SHIM_TOO_LONG):
            let seconds = Double(sound.frames) / Double(sound.sample_rate)
            throw Problem(
                message: "\(quoted) lasts \(formatSeconds(seconds)); a cue sound may last at most \(SoundClip.maximumSeconds) s (shorten it, e.g. sox IN OUT trim 0 \(SoundClip.maximumSeconds))")
        case Int32(SNDFILE_SHIM_EMPTY):
            throw Problem(message: "\(quoted) holds no sound (0 samples)")
        case Int32(SNDFILE_SHIM_NO_LIBRARY):
            throw Problem(message: "cannot decode \(quoted): \(reason)")
        default:
            throw Problem(message: "cannot decode \(quoted): \(reason) (use a WAV, FLAC or Ogg Vorbis file)")
        }
    }

    /// The file to open for `written`: absolute as written, `~/…` under `home`, anything
    /// else relative to `directory`. Nil for a `~` path without a home (or `~user/…`,
    /// which would need the password database for a rare spelling).
    static func resolve(_ written: String, relativeTo directory: String, home: String?) -> String? {
        if written.hasPrefix("/") { return written }
        if written == "~" || written.hasPrefix("~/") {
            guard let home, !home.isEmpty else { return nil }
            return join(home, String(written.dropFirst(2)))
        }
        if written.hasPrefix("~") { return nil }
        return join(directory, written)
    }

    private static func join(_ directory: String, _ entry: String) -> String {
        if entry.isEmpty { return directory }
        return directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
    }

    /// `12.5 s`: tenths, rounded up, so that a sound just over the limit does not read as on it.
    static func formatSeconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded(.up))
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
