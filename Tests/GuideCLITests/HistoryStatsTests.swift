import Foundation
import Testing

@testable import GuideCLI
import GuideProtocol

@Suite struct HistoryStatsTests {
    /// A calendar at UTC+2 whose locale would start weeks on Sunday: weeks must still
    /// start on Monday.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 2 * 3600)!
        calendar.firstWeekday = 1
        return calendar
    }()

    /// Local noon (UTC+2) on a day of May 2025.
    static func noon(_ day: Int) -> Date {
        calendar.date(from: DateComponents(year: 2025, month: 5, day: day, hour: 12))!
    }

    static func entry(_ session: String, _ outcome: HistoryEntry.Outcome, _ startedAt: String, _ elapsed: Double) -> HistoryEntry {
        HistoryEntry(
            session: session, title: session.capitalized, outcome: outcome, startedAt: startedAt, endedAt: startedAt,
            elapsed: elapsed, total: elapsed)
    }

    /// Wednesday 7 May 2025 is "today" for most tests (local time UTC+2).
    static let entries = [
        entry("foam-rolling", .finished, "2025-04-30T10:00:00Z", 720),  // April
        entry("cooldown", .finished, "2025-05-03T10:00:00Z", 600),  // Saturday: month, not week
        entry("massage", .finished, "2025-05-04T22:30:00Z", 300),  // 00:30 on Monday 5th, local
        entry("cooldown", .finished, "2025-05-05T06:00:00Z", 600),
        entry("hydration", .stopped, "2025-05-05T10:00:00.250Z", 120),
        entry("cooldown", .finished, "2025-05-06T21:30:00Z", 540),  // 23:30 on the 6th, local
        entry("cooldown", .finished, "2025-05-07T08:00:00Z", 600),
    ]

    @Test func weekFromMondayAndMonthInLocalTime() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(7), calendar: Self.calendar)
        #expect(stats.week == HistoryStats.Period(since: "2025-05-05", minutes: 36, sessions: 5, finished: 4))
        #expect(stats.month == HistoryStats.Period(since: "2025-05-01", minutes: 46, sessions: 6, finished: 5))
        #expect(stats.entries == 7)
    }

    @Test func countsPerSessionMostFinishedFirst() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(7), calendar: Self.calendar)
        #expect(stats.sessions.map(\.session) == ["cooldown", "foam-rolling", "massage", "hydration"])
        #expect(stats.sessions[0] == HistoryStats.SessionCount(session: "cooldown", title: "Cooldown", finished: 4, other: 0, minutes: 39))
        #expect(stats.sessions[3] == HistoryStats.SessionCount(session: "hydration", title: "Hydration", finished: 0, other: 1, minutes: 2))
    }

    @Test func streakIncludesToday() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(7), calendar: Self.calendar)
        #expect(stats.streak == HistoryStats.Streak(days: 3, today: true, since: "2025-05-05"))
    }

    @Test func streakMayEndYesterday() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(8), calendar: Self.calendar)
        #expect(stats.streak == HistoryStats.Streak(days: 3, today: false, since: "2025-05-05"))
    }

    @Test func streakEndsAfterAMissedDay() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(9), calendar: Self.calendar)
        #expect(stats.streak == HistoryStats.Streak(days: 0, today: false, since: nil))
    }

    @Test func stoppedSessionsDoNotMakeAStreak() {
        let entries = [Self.entry("cooldown", .stopped, "2025-05-07T08:00:00Z", 60)]
        let stats = HistoryStats.compute(entries, now: Self.noon(7), calendar: Self.calendar)
        #expect(stats.streak.days == 0)
        #expect(stats.week.minutes == 1)
    }

    @Test func sundayIsTheLastDayOfTheWeek() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(11), calendar: Self.calendar)
        #expect(stats.week.since == "2025-05-05")
        let monday = HistoryStats.compute(Self.entries, now: Self.noon(12), calendar: Self.calendar)
        #expect(monday.week == HistoryStats.Period(since: "2025-05-12", minutes: 0, sessions: 0, finished: 0))
    }

    @Test func emptyHistory() {
        let stats = HistoryStats.compute([], now: Self.noon(7), calendar: Self.calendar)
        #expect(stats.sessions.isEmpty)
        #expect(stats.streak.days == 0)
        #expect(
            HistoryStatsFormatter.text(stats) == """
                streak      0 days (finish a session today to start one)
                this week   0.0 min, 0 sessions (0 finished) since 2025-05-05
                this month  0.0 min, 0 sessions (0 finished) since 2025-05-01
                """)
    }

    @Test func text() {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(8), calendar: Self.calendar)
        #expect(
            HistoryStatsFormatter.text(stats) == """
                streak      3 days (finish a session today to keep it going)
                this week   36.0 min, 5 sessions (4 finished) since 2025-05-05
                this month  46.0 min, 6 sessions (5 finished) since 2025-05-01

                session       finished  other   min
                cooldown             4      0  39.0
                foam-rolling         1      0  12.0
                massage              1      0   5.0
                hydration            0      1   2.0
                """)
    }

    @Test func jsonShape() throws {
        let stats = HistoryStats.compute(Self.entries, now: Self.noon(7), calendar: Self.calendar)
        let line = String(decoding: WireCoding.encodeLine(stats), as: UTF8.self)
        #expect(line.hasPrefix(#"{"entries":7,"month":{"finished":5,"minutes":46,"sessions":6,"since":"2025-05-01"},"#))
        #expect(line.contains(#""streak":{"days":3,"since":"2025-05-05","today":true}"#))
        #expect(try WireCoding.decode(HistoryStats.self, from: Array(line.utf8)) == stats)
    }
}
