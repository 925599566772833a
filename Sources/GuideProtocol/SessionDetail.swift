import GuideCore

/// `show`: a session as written and its expanded timeline, so a client can print the plan.
public struct SessionDetail: Sendable, Equatable {
    public struct StepDetail: Sendable, Equatable {
        public var name: String
        public var duration: Double
        public var instructions: String?
        public var sides: Bool
        public var rest: Bool
    }

    public struct SegmentDetail: Sendable, Equatable {
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

extension SessionDetail: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("caution", caution)
        w.field("cues", cues)
        w.fieldIfPresent("description", description)
        w.field("name", name)
        w.fieldIfPresent("roundRest", roundRest)
        w.field("rounds", rounds)
        w.field("steps", steps)
        w.field("timeline", timeline)
        w.field("title", title)
        w.field("total", total)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        name = try o.value("name")
        title = try o.value("title")
        description = try o.optional("description")
        caution = try o.optional("caution")
        rounds = try o.value("rounds")
        roundRest = try o.optional("roundRest")
        total = try o.value("total")
        cues = try o.value("cues")
        steps = try o.value("steps")
        timeline = try o.value("timeline")
    }
}

extension SessionDetail.StepDetail: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("duration", duration)
        w.fieldIfPresent("instructions", instructions)
        w.field("name", name)
        w.field("rest", rest)
        w.field("sides", sides)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            name: try o.value("name"), duration: try o.value("duration"), instructions: try o.optional("instructions"),
            sides: try o.value("sides"), rest: try o.value("rest"))
    }
}

extension SessionDetail.SegmentDetail: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("duration", duration)
        w.field("name", name)
        w.field("offset", offset)
        w.field("rest", rest)
        w.field("round", round)
        w.fieldIfPresent("side", side)
        w.field("step", step)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            step: try o.value("step"), name: try o.value("name"), side: try o.optional("side"), rest: try o.value("rest"),
            round: try o.value("round"), offset: try o.value("offset"), duration: try o.value("duration"))
    }
}
