/// Where cue samples go: one opened output for a stretch of playback (typically a
/// session). The cue player drives it from its playback thread only, in this order:
/// ``open(sampleRate:)`` once, ``play(_:)`` once per cue, ``close()`` once — also after a
/// failed `open` or `play`, after which the player asks its factory for a fresh sink.
///
/// ``ALSASink`` is the real one; tests use `RecordingSink` (GuideTestSupport) to see what
/// was played and when, without a sound card.
public protocol AudioSink: AnyObject {
    /// Acquires the output for mono S16 samples at `sampleRate`. Throws if it cannot (the
    /// error's description becomes `audio.error`).
    func open(sampleRate: Int) throws

    /// Plays one cue's samples from start to end; returns when the output has taken (and,
    /// for buffered outputs, flushed) all of them. Called only between `open` and `close`.
    func play(_ samples: [Int16]) throws

    /// Releases the output so that other programs can use it.
    func close()
}
