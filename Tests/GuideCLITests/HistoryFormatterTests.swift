import Foundation
import Testing

@testable import GuideCLI
import GuideProtocol

@Suite struct HistoryFormatterTests {
    @Test func tableInLocalTimeNewestLast() throws {
        let entries = [
            HistoryEntry(
                session: "cooldown", title: "Cooldown", outcome: .finished, startedAt: "2025-05-01T18:30:00Z",
                endedAt: "2025-05-01T18:42:30Z", elapsed: 750, total: 750),
            HistoryEntry(
                session: "hydration", title: "Hydration", outcome: .stopped, startedAt: "2025-05-02T07:05:09Z",
                endedAt: "2025-05-02T07:06:00Z", elapsed: 51, total: 7200),
        ]
        let zone = try #require(TimeZone(secondsFromGMT: 2 * 3600))
        #expect(
            HistoryFormatter.table(entries, timeZone: zone) == """
                date              session    outcome    min
                2025-05-01 20:30  cooldown   finished  12.5
                2025-05-02 09:05  hydration  stopped    0.9
                """)
    }

    @Test func unreadableDatesArePassedThrough() {
        #expect(HistoryFormatter.date("yesterday", timeZone: .gmt) == "yesterday")
        #expect(HistoryFormatter.date("2025-05-01T18:30:00.250Z", timeZone: .gmt) == "2025-05-01 18:30")
    }

    @Test func minutesHaveOneDecimal() {
        #expect(HistoryFormatter.minutes(0) == "0.0")
        #expect(HistoryFormatter.minutes(9) == "0.2")
        #expect(HistoryFormatter.minutes(3600) == "60.0")
    }
}
