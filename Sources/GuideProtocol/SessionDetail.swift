import GuideCore

/// `show`: a session as written and its expanded timeline, so a client can print the plan.
public struct SessionDetail: Codable, Sendable, Equatable {
    public struct StepDetail: Codable, Sendable, Equatable {
        public var name: String
        public var duration: Double
        public var instructions: String?
        public var sides: Bool
        public var rest: Bool
    }

    public struct SegmentDetail: Codable, Sendable, Equatable {
        /// 1-based step number.
        public var step: Int
        public var name: String
        public var side: Side?
        public var rest: Bool
        public var round: Int
        /// Seconds from the start of the session.
        public var offset: Double
        public var duration: Double
    }

    public var name: String
    public var title: String
    public var description: String?
    public var caution: String?
    public var rounds: Int
    public var roundRest: Double?
    public var total: Double
    /// Number of cues the session will sound.
    public var cues: Int
    public var steps: [StepDetail]
    public var timeline: [SegmentDetail]

    public init(_ session: Session) {
        let timeline = Timeline(session)
        name = session.name
        title = session.title
        description = session.description
        caution = session.caution
        rounds = session.rounds
        roundRest = session.roundRest?.seconds
        total = timeline.total.seconds
        cues = timeline.cues.count
        steps = session.steps.map {
            StepDetail(name: $0.name, duration: $0.duration.seconds, instructions: $0.instructions, sides: $0.sides, rest: $0.rest)
        }
        self.timeline = timeline.segments.map {
            SegmentDetail(
                step: $0.stepIndex + 1, name: $0.name, side: $0.side, rest: $0.rest, round: $0.round,
                offset: $0.offset.seconds, duration: $0.duration.seconds)
        }
    }
}
