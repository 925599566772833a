import GuideCore

/// A line sent to subscribers: `{"event": "step", "status": {...}}`.
public struct Event: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case started, step, side, countdown, paused, resumed, finished, stopped, audio, reloaded, reminder
    }

    public var event: Kind
    public var status: Status
    /// For `countdown`: seconds left in the step (3, 2, 1).
    public var secondsLeft: Int?
    /// For `audio` and `reloaded`: what changed, in a sentence.
    public var message: String?
    /// For `reminder`: the reminder that sounds, or the outcome of one (missed, done, snoozed).
    public var reminder: ReminderNotice?

    public init(_ event: Kind, status: Status, secondsLeft: Int? = nil, message: String? = nil, reminder: ReminderNotice? = nil) {
        self.reminder = reminder
        self.event = event
        self.status = status
        self.secondsLeft = secondsLeft
        self.message = message
    }
}
