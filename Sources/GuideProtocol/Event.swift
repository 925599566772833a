import GuideCore

/// A line sent to subscribers: `{"event": "step", "status": {...}}`.
public struct Event: Sendable, Equatable {
    public enum Kind: String, WireCodable, Sendable, CaseIterable {
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

extension Event: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("event", event)
        w.fieldIfPresent("message", message)
        w.fieldIfPresent("reminder", reminder)
        w.fieldIfPresent("secondsLeft", secondsLeft)
        w.field("status", status)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(try o.value("event"), status: try o.value("status"), secondsLeft: try o.optional("secondsLeft"), message: try o.optional("message"),
            reminder: try o.optional("reminder"))
    }
}
