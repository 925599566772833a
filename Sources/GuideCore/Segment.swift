/// One stretch of time in a session's timeline: a step (or one side of it) in one round,
/// or the rest between rounds.
public struct Segment: Sendable, Hashable {
    /// Position in the timeline, 0-based.
    public var index: Int
    /// 0-based index of the step in the session; for a round rest, the last step's index.
    public var stepIndex: Int
    public var name: String
    public var side: Side?
    /// A rest step or the rest between rounds.
    public var rest: Bool
    /// True for the rest the session's `roundRest` inserts between rounds.
    public var isRoundRest: Bool
    /// 1-based round.
    public var round: Int
    /// When the segment starts, from the start of the session.
    public var offset: Duration
    public var duration: Duration
    public var instructions: String?

    public var end: Duration { offset + duration }
}
