/// A sound due at a moment of the session, derived from the timeline.
public struct Cue: Sendable, Hashable {
    /// Position in the timeline's cue list, 0-based; cues are sorted by offset.
    public var index: Int
    public var kind: CueKind
    /// Due time from the start of the session (paused time excluded).
    public var offset: Duration
    /// The segment the cue belongs to (for `end`, the last segment).
    public var segment: Int
    /// For countdown ticks: seconds left in the segment (3, 2, 1); 0 otherwise.
    public var secondsLeft: Int
}
