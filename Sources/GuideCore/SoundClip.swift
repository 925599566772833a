/// A sound file of a cue, decoded when its session was loaded (so that a missing or broken
/// file is reported by `guidectl validate` and at reload, never found at the moment the cue
/// is due): mono S16 samples at the file's own rate. The audio side resamples them to the
/// device's rate once per palette.
///
/// Equality and hashing use the path, the rate and a checksum of the samples, not the
/// samples themselves: palettes are looked up by their parts, and hashing a 10 s sound on
/// every session start would cost more than rendering a tone.
public struct SoundClip: Sendable, Hashable {
    /// The path as the session file wrote it (for messages and `test-sound` labels).
    public var path: String
    /// The file that was read: `path` resolved against the session file's directory (what
    /// a crash snapshot keeps, since it is read without that directory).
    public var resolvedPath: String
    /// Mono samples, every channel of the file averaged into one.
    public var samples: [Int16]
    /// The file's sample rate in hertz.
    public var sampleRate: Int
    /// How many channels the file had before the mix-down.
    public var channels: Int
    /// Silence after the sound in milliseconds (0 … 1,000), before the next part.
    public var gapMilliseconds: Int
    /// FNV-1a of the samples, computed once.
    public let checksum: UInt64

    public init(
        path: String, resolvedPath: String? = nil, samples: [Int16], sampleRate: Int, channels: Int = 1,
        gapMilliseconds: Int = 0
    ) {
        self.path = path
        self.resolvedPath = resolvedPath ?? path
        self.samples = samples
        self.sampleRate = sampleRate
        self.channels = channels
        self.gapMilliseconds = gapMilliseconds
        self.checksum = Self.fnv1a(samples)
    }

    /// How long the sound plays.
    public var duration: Duration {
        .nanoseconds(Int64(samples.count) * 1_000_000_000 / Int64(max(1, sampleRate)))
    }

    /// The longest sound a cue may play: a cue marks a moment, and a long sound would run
    /// over the next cues (and every clip stays in memory while its session is loaded).
    public static let maximumSeconds = 10

    public static func == (lhs: SoundClip, rhs: SoundClip) -> Bool {
        lhs.path == rhs.path && lhs.sampleRate == rhs.sampleRate && lhs.channels == rhs.channels
            && lhs.gapMilliseconds == rhs.gapMilliseconds && lhs.samples.count == rhs.samples.count
            && lhs.checksum == rhs.checksum
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(sampleRate)
        hasher.combine(samples.count)
        hasher.combine(checksum)
    }

    private static func fnv1a(_ samples: [Int16]) -> UInt64 {
        samples.withUnsafeBytes { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return hash
        }
    }
}
