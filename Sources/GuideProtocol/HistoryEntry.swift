/// One ended session, as a line of `history.jsonl` and an entry of `history`.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
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
