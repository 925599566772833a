import Foundation
import GuideCore
import GuideCLI
import GuideProtocol
import GuideTestSupport
import Testing

/// `guidectl history --stats` over a history the daemon wrote (plus older entries).
@Suite("guidectl history --stats")
struct HistoryStatsEndToEndTests {
    static func line(_ session: String, _ outcome: String, startedAt: Date, elapsed: Double) -> String {
        let start = startedAt.formatted(.iso8601)
        return #"{"session":"\#(session)","title":"\#(session)","outcome":"\#(outcome)","startedAt":"\#(start)","endedAt":"\#(start)","elapsed":\#(elapsed),"total":\#(elapsed)}"#
    }

    @Test("streak, counts and minutes, as text and as JSON")
    func stats() throws {
        let daemon = try DaemonFixture(sessions: ["short": StatusBarTests.short])
        // Yesterday's and three days ago's sessions (noon local time, so that "yesterday"
        // is the previous local day whenever the test runs).
        var calendar = Calendar.current
        calendar.timeZone = .current
        let today = calendar.startOfDay(for: Date())
        let yesterdayNoon = calendar.date(byAdding: .hour, value: 12, to: calendar.date(byAdding: .day, value: -1, to: today)!)!
        let earlierNoon = calendar.date(byAdding: .day, value: -2, to: yesterdayNoon)!
        let seeded = [
            Self.line("short", "finished", startedAt: earlierNoon, elapsed: 240),
            Self.line("short", "finished", startedAt: yesterdayNoon, elapsed: 240),
            Self.line("stretch", "stopped", startedAt: yesterdayNoon, elapsed: 90),
        ]
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        try Data((seeded.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: daemon.stateDirectory + "/history.jsonl"))
        try daemon.start()

        let before = try daemon.guidectl(["history", "--stats", "--json"])
        #expect(before.status == 0, "\(before.stderr)")
        let old = try WireCoding.decode(HistoryStats.self, from: Array(before.stdout.utf8.dropLast()))
        #expect(old.streak.days == 1)
        #expect(old.streak.today == false)

        // Today's session, run for real, extends the streak.
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        #expect(try daemon.request(.start, session: "short").ok)
        _ = try SubscriptionTests.events(on: watcher, until: .finished)

        let json = try daemon.guidectl(["history", "--stats", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.split(separator: "\n").count == 1, "one JSON object")
        let stats = try WireCoding.decode(HistoryStats.self, from: Array(json.stdout.utf8.dropLast()))
        #expect(stats.entries == 4)
        #expect(stats.streak.days == 2)
        #expect(stats.streak.today)
        #expect(stats.sessions.map(\.session) == ["short", "stretch"])
        #expect(stats.sessions[0].finished == 3)
        #expect(stats.sessions[1] == HistoryStats.SessionCount(session: "stretch", title: "stretch", finished: 0, other: 1, minutes: 1.5))
        #expect(stats.month.minutes >= 0.1 && stats.week.minutes >= 0.1)
        #expect(stats.week.since <= HistoryStats.dayString(Date()))

        let text = try daemon.guidectl(["history", "--stats"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "streak      2 days, today included")
        #expect(lines[1].hasPrefix("this week   "))
        #expect(lines[2].hasPrefix("this month  "))
        let words = lines.map { $0.split(separator: " ").map(String.init) }
        #expect(words.contains(["session", "finished", "other", "min"]))
        #expect(words.contains(["short", "3", "0", "8.1"]), "\(text.stdout)")
        #expect(words.contains(["stretch", "0", "1", "1.5"]))

        // The plain table still works, and --stats ignores --limit.
        let table = try daemon.guidectl(["history", "--limit", "1"])
        #expect(table.stdout.split(separator: "\n").count == 2)
    }
}

extension HistoryStats {
    /// `2025-05-07` for `date` in the local time zone.
    static func dayString(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
