/// What the scheduler asks its owner to do or record.
public enum SchedulerEvent: Sendable, Hashable {
    /// A reminder sounds now.
    case fire(ReminderFiring)
    /// A reminder's outcome, for history.
    case outcome(ReminderOutcome)
}

/// A reminder sounding.
public struct ReminderFiring: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// At its time (or held back only by a routine's step).
        case due
        /// Later than its time: after suspend, quiet hours or a wall-clock jump, its window still open.
        case late
        /// Unacknowledged for 5 minutes: said once more.
        case `repeat`
        /// A snooze ran out.
        case snoozed
    }

    public var name: String
    public var text: String
    public var kind: Kind
    /// Unix time of the occurrence it is for.
    public var dueAt: Double
    /// Unix time at which it sounds.
    public var firedAt: Double
    /// The routine it announces, if any.
    public var session: String?

    public init(name: String, text: String, kind: Kind, dueAt: Double, firedAt: Double, session: String?) {
        self.name = name
        self.text = text
        self.kind = kind
        self.dueAt = dueAt
        self.firedAt = firedAt
        self.session = session
    }
}

/// How a firing ended: what history records.
public struct ReminderOutcome: Sendable, Hashable {
    public enum Result: String, Sendable, Hashable { case done, snoozed, missed }

    public var name: String
    public var result: Result
    /// Millilitres acknowledged (`done`), for reminders with `intake`.
    public var amount: Int?
    /// Unix time of the outcome.
    public var at: Double
    /// For `snoozed`: when it sounds again.
    public var until: Double?

    public init(name: String, result: Result, amount: Int? = nil, at: Double, until: Double? = nil) {
        self.name = name
        self.result = result
        self.amount = amount
        self.at = at
        self.until = until
    }
}

/// A command the scheduler refuses, with the line to show.
public struct SchedulerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
