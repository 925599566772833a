/// Where cue samples go: one opened output for a stretch of playback (typically a
/// session). The cue player drives it from its playback thread only, in this order:
/// ``open(sampleRate:)`` once, then cues (``play(_:due:)``, each optionally followed by
/// ``play(_:)`` for what continues it, such as a spoken prompt) and ``keepAlive()`` calls,
/// and ``close()`` once — also after a failed `open` or `play`, after which the player
/// asks its factory for a fresh sink.
///
/// ``ALSASink`` is the real one; tests use `RecordingSink` (GuideTestSupport) to see what
/// was played and when, without a sound card.
public protocol AudioSink: AnyObject {
    /// Acquires the output for mono S16 samples at `sampleRate`. Throws if it cannot (the
    /// error's description becomes `audio.error`).
    func open(sampleRate: Int) throws

    /// Plays samples right after whatever was played last (a prompt after its tone).
    /// Returns when the output has taken them. Called only between `open` and `close`.
    func play(_ samples: [Int16]) throws

    /// Plays one cue that was due at `due` (now or a few milliseconds ago): an output that
    /// plays in real time puts it at the same distance from its due time as every other
    /// cue, so lateness of the playback thread does not show in what is heard.
    func play(_ samples: [Int16], due: SuspendingClock.Instant) throws

    /// Called while the output is held open between cues. An output that plays in real
    /// time keeps its stream from running dry (a sound server that runs dry restarts the
    /// stream later, at another latency) and says when to be called again; others return
    /// nil and are not called again until the next cue.
    func keepAlive() throws -> Duration?

    /// Releases the output so that other programs can use it, after what was played has
    /// been heard.
    func close()
}

extension AudioSink {
    public func play(_ samples: [Int16], due: SuspendingClock.Instant) throws {
        try play(samples)
    }

    public func keepAlive() throws -> Duration? {
        nil
    }
}
