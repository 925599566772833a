import GuideProtocol
import GuideCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

/// `guidectl history --stats`: what the history says about the habit — how often each
/// session was done, the minutes this week and this month, and the current streak.
///
/// Pure: the entries, the present instant and the calendar (with its time zone) come in
/// as values, so that weeks, months and streaks are unit-tested on fixed dates.
///
/// - A session's day is the local day it **started** (as in the history table).
/// - Minutes count every entry (a stopped session's minutes were still done); counts
///   split finished sessions from the others (stopped, replaced, abandoned).
/// - Weeks start on Monday, whatever the locale says; months are calendar months.
/// - The streak is the number of consecutive days, ending today or yesterday, with at
///   least one finished session: a streak is not lost before the day is over.
public struct HistoryStats: Sendable, Equatable {
    public struct SessionCount: Sendable, Equatable {
        public var session: String
        public var title: String
        /// Runs that reached their end.
        public var finished: Int
        /// Runs stopped, replaced or abandoned.
        public var other: Int
        /// Minutes done in all runs, to one decimal.
        public var minutes: Double

        public init(session: String, title: String, finished: Int, other: Int, minutes: Double) {
            self.session = session
            self.title = title
            self.finished = finished
            self.other = other
            self.minutes = minutes
        }
    }

    public struct Period: Sendable, Equatable {
        /// The local date the period starts on, `2025-05-05`.
        public var since: String
        /// Minutes done, to one decimal.
        public var minutes: Double
        /// Sessions started in the period, and how many of them finished.
        public var sessions: Int
        public var finished: Int

        public init(since: String, minutes: Double, sessions: Int, finished: Int) {
            self.since = since
            self.minutes = minutes
            self.sessions = sessions
            self.finished = finished
        }
    }

    public struct Streak: Sendable, Equatable {
        /// Consecutive days with a finished session, ending today or yesterday; 0 if none.
        public var days: Int
        /// Whether today already has a finished session.
        public var today: Bool
        /// The local date of the streak's first day, when there is a streak.
        public var since: String?

        public init(days: Int, today: Bool, since: String?) {
            self.days = days
            self.today = today
            self.since = since
        }
    }

    /// Most finished first, then by name.
    public var sessions: [SessionCount]
    public var week: Period
    public var month: Period
    public var streak: Streak
    /// Entries read (unreadable start times are counted in `sessions` only).
    public var entries: Int
    /// Reminders: today's intake against the goal, the week's outcomes (nil without any).
    public var reminders: ReminderStats?

    public init(sessions: [SessionCount], week: Period, month: Period, streak: Streak, entries: Int) {
        self.sessions = sessions
        self.week = week
        self.month = month
        self.streak = streak
        self.entries = entries
    }

    /// The statistics of `entries` as seen at `now` in `calendar`'s time zone. The
    /// calendar's first weekday is ignored: weeks start on Monday.
    public static func compute(_ entries: [HistoryEntry], now: Date, calendar: Calendar) -> HistoryStats {
        compute(entries, now: now, offset: .of(calendar.timeZone))
    }

    /// The statistics of `entries` as seen at `now` in the system's local time zone.
    public static func compute(_ entries: [HistoryEntry], now: Date) -> HistoryStats {
        compute(entries, now: now, offset: .local)
    }

    static func compute(_ entries: [HistoryEntry], now: Date, offset: UTCOffset) -> HistoryStats {
        var order: [String] = []
        var counts: [String: SessionCount] = [:]
        for entry in entries {
            if counts[entry.session] == nil { order.append(entry.session) }
            var count = counts[entry.session] ?? SessionCount(session: entry.session, title: entry.title, finished: 0, other: 0, minutes: 0)
            if entry.outcome == .finished { count.finished += 1 } else { count.other += 1 }
            count.minutes += max(0, entry.elapsed) / 60
            count.title = entry.title  // the newest title wins
            counts[entry.session] = count
        }
        let sessions = order.compactMap { counts[$0] }.map { count in
            var count = count
            count.minutes = tenths(count.minutes)
            return count
        }.sorted { ($0.finished, $1.session) > ($1.finished, $0.session) }

        // Local day numbers: a time is in the week (month) when its local day is on or
        // after the week's Monday (the month's first day).
        let nowUnix = now.timeIntervalSince1970
        let today = CivilDay.of(nowUnix, offset)
        let weekStart = today - CivilDay.weekdayFromMonday(today)
        let monthStart = today - (CivilDay.date(today).day - 1)
        var week = (minutes: 0.0, sessions: 0, finished: 0)
        var month = week
        var finishedDays = Set<Int>()
        for entry in entries {
            guard let started = parseDate(entry.startedAt) else { continue }
            let finished = entry.outcome == .finished
            let day = CivilDay.of(started, offset)
            if finished { finishedDays.insert(day) }
            guard started <= nowUnix else { continue }
            if day >= weekStart {
                week.minutes += max(0, entry.elapsed) / 60
                week.sessions += 1
                week.finished += finished ? 1 : 0
            }
            if day >= monthStart {
                month.minutes += max(0, entry.elapsed) / 60
                month.sessions += 1
                month.finished += finished ? 1 : 0
            }
        }

        let doneToday = finishedDays.contains(today)
        var day = doneToday ? today : today - 1
        var days = 0
        var first: Int?
        while finishedDays.contains(day) {
            days += 1
            first = day
            day -= 1
        }

        return HistoryStats(
            sessions: sessions,
            week: Period(since: CivilDay.text(weekStart), minutes: tenths(week.minutes), sessions: week.sessions, finished: week.finished),
            month: Period(since: CivilDay.text(monthStart), minutes: tenths(month.minutes), sessions: month.sessions, finished: month.finished),
            streak: Streak(days: days, today: doneToday, since: first.map(CivilDay.text)),
            entries: entries.count)
    }

    /// An ISO 8601 time, with or without fractional seconds, as a Unix time.
    static func parseDate(_ text: String) -> Double? {
        ISO8601Time.parse(text)
    }

    static func tenths(_ minutes: Double) -> Double {
        (minutes * 10).rounded() / 10
    }
}

extension HistoryStats: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("entries", entries)
        w.field("month", month)
        w.fieldIfPresent("reminders", reminders)
        w.field("sessions", sessions)
        w.field("streak", streak)
        w.field("week", week)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            sessions: try o.value("sessions"), week: try o.value("week"), month: try o.value("month"),
            streak: try o.value("streak"), entries: try o.value("entries"))
        reminders = try o.optional("reminders")
    }
}

extension HistoryStats.SessionCount: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("finished", finished)
        w.field("minutes", minutes)
        w.field("other", other)
        w.field("session", session)
        w.field("title", title)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            session: try o.value("session"), title: try o.value("title"), finished: try o.value("finished"),
            other: try o.value("other"), minutes: try o.value("minutes"))
    }
}

extension HistoryStats.Period: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("finished", finished)
        w.field("minutes", minutes)
        w.field("sessions", sessions)
        w.field("since", since)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(since: try o.value("since"), minutes: try o.value("minutes"), sessions: try o.value("sessions"), finished: try o.value("finished"))
    }
}

extension HistoryStats.Streak: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("days", days)
        w.fieldIfPresent("since", since)
        w.field("today", today)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(days: try o.value("days"), today: try o.value("today"), since: try o.optional("since"))
    }
}
