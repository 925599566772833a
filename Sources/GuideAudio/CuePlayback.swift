import GuideCore

/// What became of one scheduled cue, reported to `CuePlayer`'s `onPlayed` from the
/// playback thread: the daemon's timing statistics and the tests' lateness checks.
public struct CuePlayback: Sendable, Hashable {
    public var kind: CueKind
    /// When the cue was due.
    public var due: SuspendingClock.Instant
    /// When its first sample was handed to the sink (or, for a dropped cue, when the
    /// player decided not to play it).
    public var handedAt: SuspendingClock.Instant
    /// `handedAt - due`: how late the first sample went out.
    public var lateness: Duration
    /// Whether the sink took every sample.
    public var ok: Bool
    /// True when the cue was skipped because it was already more than
    /// ``CuePlayer/dropLateness`` late (then `ok` is false).
    public var dropped: Bool

    public init(kind: CueKind, due: SuspendingClock.Instant, handedAt: SuspendingClock.Instant, ok: Bool, dropped: Bool = false) {
        self.kind = kind
        self.due = due
        self.handedAt = handedAt
        self.lateness = handedAt - due
        self.ok = ok
        self.dropped = dropped
    }
}
