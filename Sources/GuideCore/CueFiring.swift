/// What the runner decided about a cue whose due time has come.
public struct CueFiring: Sendable, Hashable {
    public enum Disposition: Sendable, Hashable {
        /// Sound it now.
        case play
        /// Its moment has passed by more than ``Runner/lateTolerance``; it is reported
        /// (events, logs) but not sounded, because a stale sound would mislead.
        case lateSilent
        /// Jumped over by `skip`: never due.
        case skipped
    }

    public var cue: Cue
    /// How long after its due time the runner saw it (zero for skipped cues).
    public var lateness: Duration
    public var disposition: Disposition
}
