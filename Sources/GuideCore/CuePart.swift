/// One entry of a cue's list in a session's `cues`: a synthesized tone
/// (`{"hz": 880, "ms": 200}`) or a recorded sound (`{"file": "sounds/bell.wav"}`), each
/// followed by its own silence (`gapMs`) before the next entry.
public enum CuePart: Sendable, Hashable {
    case tone(Tone)
    case file(SoundClip)

    /// The tone, when this part is one.
    public var tone: Tone? {
        if case .tone(let tone) = self { return tone }
        return nil
    }

    /// Silence after this part in milliseconds, before the next part of the same cue.
    public var gapMilliseconds: Int {
        switch self {
        case .tone(let tone): return tone.gapMilliseconds
        case .file(let clip): return clip.gapMilliseconds
        }
    }
}
