import GuideCore

/// One ended session, as a line of `history.jsonl` and an entry of `history`.
public struct HistoryEntry: Sendable, Equatable {
    public enum Outcome: String, WireCodable, Sendable {
        /// Ran to its end.
        case finished
        /// Stopped by `stop`.
        case stopped
        /// Replaced by `start --replace`.
        case replaced
        /// The daemon shut down while it ran (or was paused).
        case abandoned
    }

    public var session: String
    public var title: String
    public var outcome: Outcome
    /// ISO 8601 wall-clock times.
    public var startedAt: String
    public var endedAt: String
    /// Seconds of the session done (paused time excluded).
    public var elapsed: Double
    /// Length of the session in seconds.
    public var total: Double

    public init(session: String, title: String, outcome: Outcome, startedAt: String, endedAt: String, elapsed: Double, total: Double) {
        self.session = session
        self.title = title
        self.outcome = outcome
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.elapsed = elapsed
        self.total = total
    }
}

/// The one form of a history line, in `history.jsonl` and in `history` replies (keys in
/// byte order, as every line since the first version).
extension HistoryEntry: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("elapsed", elapsed)
        w.field("endedAt", endedAt)
        w.field("outcome", outcome)
        w.field("session", session)
        w.field("startedAt", startedAt)
        w.field("title", title)
        w.field("total", total)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            session: try o.value("session"), title: try o.value("title"), outcome: try o.value("outcome"),
            startedAt: try o.value("startedAt"), endedAt: try o.value("endedAt"), elapsed: try o.value("elapsed"),
            total: try o.value("total"))
    }
}
