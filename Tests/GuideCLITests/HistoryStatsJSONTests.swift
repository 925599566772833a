import Foundation
import Testing

@testable import GuideCLI
import GuideProtocol

/// `history --stats --json` writes the summary with the wire encoder; any JSON reader gets
/// back the same values.
@Suite struct HistoryStatsJSONTests {
    @Test func statsLineDecodesAsJSONDecoderDecodesIt() throws {
        let stats = HistoryStats(
            sessions: [.init(session: "a", title: "A", finished: 2, other: 1, minutes: 12.5)],
            week: .init(since: "2025-05-05", minutes: 1, sessions: 1, finished: 1),
            month: .init(since: "2025-05-01", minutes: 2, sessions: 2, finished: 1),
            streak: .init(days: 0, today: false, since: nil), entries: 3)
        let line = WireCoding.encodeLine(stats)
        #expect(line.last == 0x0A)
        #expect(try JSONDecoder().decode(HistoryStats.self, from: Data(line)) == stats)
    }
}
