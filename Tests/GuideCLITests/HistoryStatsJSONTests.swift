import GuideCore
import GuideProtocol
import Testing

@testable import GuideCLI

/// `history --stats --json` and `status --waybar` write with the wire encoder: the lines
/// guide has always written (sorted keys), read back to the same value.
@Suite struct HistoryStatsJSONTests {
    static func check<T: WireCodable & Equatable>(_ value: T, _ golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = String(decoding: WireCoding.encodeLine(value), as: UTF8.self)
        #expect(written == golden + "\n", sourceLocation: sourceLocation)
        #expect(try WireCoding.decode(T.self, from: Array(golden.utf8)) == value, sourceLocation: sourceLocation)
    }

    static let running = Status(
        state: .running, session: "morning-stretch", title: "Morning stretch",
        step: .init(
            index: 3, count: 9, name: "Knee-to-chest", side: .left, rest: false, duration: 30, remaining: 12.25,
            instructions: "Pull one knee to your chest; keep the other leg long."),
        round: .init(index: 1, count: 2), elapsed: 95.5, remaining: 420.75, total: 516.25,
        next: .init(name: "Cat-cow", side: nil, duration: 45), audio: .init(device: "default", ok: true),
        startedAt: "2026-11-29T23:20:27Z", restored: false)

    @Test func statsAndWaybar() throws {
        let stats = HistoryStats(
            sessions: [.init(session: "a", title: "A", finished: 2, other: 1, minutes: 12.5)],
            week: .init(since: "2025-05-05", minutes: 1, sessions: 1, finished: 1),
            month: .init(since: "2025-05-01", minutes: 2, sessions: 2, finished: 1),
            streak: .init(days: 0, today: false, since: nil), entries: 3)
        try Self.check(stats, #"{"entries":3,"month":{"finished":1,"minutes":2,"sessions":2,"since":"2025-05-01"},"sessions":[{"finished":2,"minutes":12.5,"other":1,"session":"a","title":"A"}],"streak":{"days":0,"today":false},"week":{"finished":1,"minutes":1,"sessions":1,"since":"2025-05-05"}}"#)
        try Self.check(HistoryStats.Streak(days: 4, today: true, since: "2025-05-02"), #"{"days":4,"since":"2025-05-02","today":true}"#)
        try Self.check(WaybarFormatter.output(Self.running), #"{"class":"running","percentage":18,"text":"▶ 3/9 Knee-to-chest (left) 0:13","tooltip":"Morning stretch\nround 1/2\n3/9 Knee-to-chest (left): 0:13 left\nPull one knee to your chest; keep the other leg long.\n7:01 to go (18%) · next: Cat-cow"}"#)
    }

    @Test func reminderStatsReadBack() throws {
        var stats = HistoryStats(
            sessions: [], week: .init(since: "2025-05-05", minutes: 0, sessions: 0, finished: 0),
            month: .init(since: "2025-05-01", minutes: 0, sessions: 0, finished: 0),
            streak: .init(days: 0, today: false, since: nil), entries: 0)
        stats.reminders = ReminderStats(
            intake: [.init(reminder: "water", today: 750, goal: 2000)], since: "2025-05-05",
            week: [.init(reminder: "water", done: 3, snoozed: 1, missed: 2)])
        try Self.check(stats, #"{"entries":0,"month":{"finished":0,"minutes":0,"sessions":0,"since":"2025-05-01"},"reminders":{"intake":[{"goal":2000,"reminder":"water","today":750}],"since":"2025-05-05","week":[{"done":3,"missed":2,"reminder":"water","snoozed":1}]},"sessions":[],"streak":{"days":0,"today":false},"week":{"finished":0,"minutes":0,"sessions":0,"since":"2025-05-05"}}"#)
    }
}
