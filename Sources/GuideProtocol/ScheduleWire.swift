#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

/// `schedule`'s answer: what comes next, what waits for acknowledgement, and whether quiet
/// hours hold reminders back. Times are ISO 8601 (UTC); `in` is seconds from the answer.
public struct ScheduleListing: Sendable, Equatable {
    /// The schedule file the daemon reads (nil: none configured).
    public var file: String?
    /// Why the file did not load (the previous version, if any, is still in use).
    public var error: String?
    /// When quiet hours (the file's or `quiet`) that hold now end.
    public var quietUntil: String?
    public var reminders: [UpcomingReminder]
    public var waiting: [WaitingReminder]

    public init(file: String?, error: String?, quietUntil: String?, reminders: [UpcomingReminder], waiting: [WaitingReminder]) {
        self.file = file
        self.error = error
        self.quietUntil = quietUntil
        self.reminders = reminders
        self.waiting = waiting
    }
}

/// One reminder's next time.
public struct UpcomingReminder: Sendable, Equatable {
    public var name: String
    public var text: String
    public var session: String?
    public var at: String
    public var `in`: Double
    /// Quiet hours hold it back (it sounds when they end, or at its next time after them).
    public var heldByQuiet: Bool
    /// Due, and waiting for the running routine's next step boundary.
    public var waitingForRoutine: Bool
    /// The day's target in millilitres, for `history --stats`.
    public var dailyGoal: Int?

    public init(_ item: Scheduler.Upcoming, now: Double, dailyGoal: Int? = nil) {
        self.dailyGoal = dailyGoal
        name = item.name
        text = item.text
        session = item.session
        at = WireTime.iso(item.at)
        self.in = max(0, (item.at - now) * 1000).rounded() / 1000
        heldByQuiet = item.heldByQuiet
        waitingForRoutine = item.waitingForRoutine
    }
}

/// A reminder that sounded and waits for `done` or `snooze`.
public struct WaitingReminder: Sendable, Equatable {
    public var name: String
    public var text: String
    public var firedAt: String
    public var snoozes: Int

    public init(_ pending: Scheduler.Pending) {
        name = pending.name
        text = pending.text
        firedAt = WireTime.iso(pending.firedAt)
        snoozes = pending.snoozes
    }
}

/// A reminder sounding (the `reminder` event) or its outcome (`done`, `snooze`, and the
/// `reminder` event with `outcome` set when one is missed).
public struct ReminderNotice: Sendable, Equatable {
    public var name: String
    public var text: String?
    /// For a sounding: `due`, `late`, `repeat` or `snoozed`.
    public var kind: String?
    /// The routine it announces (`guidectl start` alone starts it).
    public var session: String?
    /// `done`, `snoozed` or `missed`.
    public var outcome: String?
    /// Millilitres acknowledged.
    public var amount: Int?
    /// For `snoozed`: when it sounds again.
    public var until: String?
    public var at: String

    public init(_ firing: ReminderFiring) {
        name = firing.name
        text = firing.text
        kind = firing.kind.rawValue
        session = firing.session
        at = WireTime.iso(firing.firedAt)
    }

    public init(_ outcome: ReminderOutcome) {
        name = outcome.name
        self.outcome = outcome.result.rawValue
        amount = outcome.amount
        until = outcome.until.map(WireTime.iso)
        at = WireTime.iso(outcome.at)
    }
}

/// A reminder's outcome as a line of `history.jsonl`:
/// `{"reminder":"water","outcome":"done","amount":250,"at":"2026-05-04T07:20:00Z"}`.
public struct ReminderRecord: Sendable, Equatable {
    public var reminder: String
    public var outcome: String
    public var amount: Int?
    public var at: String

    public init(_ outcome: ReminderOutcome) {
        reminder = outcome.name
        self.outcome = outcome.result.rawValue
        amount = outcome.amount
        at = WireTime.iso(outcome.at)
    }
}

/// Unix times on the wire.
public enum WireTime {
    /// `2026-05-04T07:00:00Z`, or with milliseconds when it has a fraction.
    public static func iso(_ unix: Double) -> String {
        let date = Date(timeIntervalSince1970: unix)
        if unix == unix.rounded() { return date.formatted(.iso8601) }
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The wall clock now, as a Unix time.
    public static var now: Double { Date().timeIntervalSince1970 }
}

extension ScheduleListing: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("error", error)
        w.fieldIfPresent("file", file)
        w.fieldIfPresent("quietUntil", quietUntil)
        w.field("reminders", reminders)
        w.field("waiting", waiting)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            file: try o.optional("file"), error: try o.optional("error"), quietUntil: try o.optional("quietUntil"),
            reminders: try o.value("reminders"), waiting: try o.value("waiting"))
    }
}

extension UpcomingReminder: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("at", at)
        w.fieldIfPresent("dailyGoal", dailyGoal)
        w.field("heldByQuiet", heldByQuiet)
        w.field("in", self.in)
        w.field("name", name)
        w.fieldIfPresent("session", session)
        w.field("text", text)
        w.field("waitingForRoutine", waitingForRoutine)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        name = try o.value("name")
        text = try o.value("text")
        session = try o.optional("session")
        at = try o.value("at")
        self.in = try o.value("in")
        heldByQuiet = try o.value("heldByQuiet")
        waitingForRoutine = try o.value("waitingForRoutine")
        dailyGoal = try o.optional("dailyGoal")
    }
}

extension WaitingReminder: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("firedAt", firedAt)
        w.field("name", name)
        w.field("snoozes", snoozes)
        w.field("text", text)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        name = try o.value("name")
        text = try o.value("text")
        firedAt = try o.value("firedAt")
        snoozes = try o.value("snoozes")
    }
}

extension ReminderNotice: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("amount", amount)
        w.field("at", at)
        w.fieldIfPresent("kind", kind)
        w.field("name", name)
        w.fieldIfPresent("outcome", outcome)
        w.fieldIfPresent("session", session)
        w.fieldIfPresent("text", text)
        w.fieldIfPresent("until", until)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        name = try o.value("name")
        text = try o.optional("text")
        kind = try o.optional("kind")
        session = try o.optional("session")
        outcome = try o.optional("outcome")
        amount = try o.optional("amount")
        until = try o.optional("until")
        at = try o.value("at")
    }
}

/// Written as a `history.jsonl` line: `{"amount":250,"at":"…","outcome":"done","reminder":"water"}`.
extension ReminderRecord: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("amount", amount)
        w.field("at", at)
        w.field("outcome", outcome)
        w.field("reminder", reminder)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        reminder = try o.value("reminder")
        outcome = try o.value("outcome")
        amount = try o.optional("amount")
        at = try o.value("at")
    }
}
