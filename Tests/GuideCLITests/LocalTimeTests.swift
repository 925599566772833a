import Foundation
import Testing

@testable import GuideCLI
import GuideProtocol

/// `history`'s dates without ICU (``CivilDay``, ``ISO8601Time``, ``UTCOffset``) against
/// Foundation's calendar, formatter and time zones.
@Suite struct LocalTimeTests {
    @Test func civilDaysMatchTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        for day in stride(from: -800_000, through: 800_000, by: 997) + Array(-400...400) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            guard let year = c.year, year > 1600 else { continue }  // Foundation switches to the Julian calendar before 1582
            let ours = CivilDay.date(day)
            #expect(ours.year == year && ours.month == c.month && ours.day == c.day, "day \(day)")
            #expect(CivilDay.number(year: ours.year, month: ours.month, day: ours.day) == day)
            // Foundation: 1 = Sunday … 7 = Saturday; ours: 0 = Monday … 6 = Sunday.
            #expect(CivilDay.weekdayFromMonday(day) == ((c.weekday ?? 0) + 5) % 7, "day \(day)")
        }
    }

    @Test func iso8601AsISO8601DateFormatterReadsIt() {
        let texts = [
            "2025-05-01T18:30:00Z", "2025-05-01T18:30:00.250Z", "2025-05-01T18:30:00.5Z", "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z", "2025-05-01T20:30:00+02:00", "2025-05-01T16:30:00-02:00", "2038-01-19T03:14:08Z",
            "2025-05-01", "yesterday", "", "2025-05-01T18:30Z", "2025-13-01T18:30:00Z", "2025-02-30T18:30:00Z",
            "2025-05-01T24:00:00Z", "2025-05-01T18:30:00", "2025-05-01T18:30:00Zjunk", "2025-05-01T18:30:00.Z", "2025-04-31T10:00:00Z", "2025-05-01T24:00:00+02:00",
            "2025-05-01T18:30:60Z", "2025-05-01T18:60:00Z", "2025-05-01T25:00:00Z", "2025-05-32T10:00:00Z", "2025-00-10T10:00:00Z",
        ]
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in texts {
            let theirs = (plain.date(from: text) ?? fractional.date(from: text))?.timeIntervalSince1970
            let ours = ISO8601Time.parse(text)
            #expect((ours == nil) == (theirs == nil), "\(text): \(String(describing: ours)) vs \(String(describing: theirs))")
            if let ours, let theirs { #expect(abs(ours - theirs) < 0.001, "\(text)") }
        }
    }

    @Test func localOffsetIsTheSystemTimeZones() {
        let zone = TimeZone.current
        for unix in stride(from: 0.0, through: 2_000_000_000, by: 3_600 * 24 * 17.3) {
            #expect(UTCOffset.local.seconds(unix) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: unix)), "\(unix)")
        }
    }

    @Test func historyInLocalTimeIsHistoryInTheCurrentCalendar() {
        let entries = HistoryStatsTests.entries
        for day in [1, 5, 7, 11, 12, 31] {
            let now = HistoryStatsTests.noon(day)
            #expect(HistoryStats.compute(entries, now: now) == HistoryStats.compute(entries, now: now, calendar: .current))
        }
        #expect(HistoryFormatter.table(entries) == HistoryFormatter.table(entries, timeZone: .current))
    }

    @Test func historyInOtherZonesFollowsTheirRules() throws {
        // A zone with daylight saving time: local dates move with the offset of the day.
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(HistoryFormatter.date("2025-01-15T12:00:00Z", timeZone: berlin) == "2025-01-15 13:00")
        #expect(HistoryFormatter.date("2025-07-15T22:30:00Z", timeZone: berlin) == "2025-07-16 00:30")
        #expect(HistoryFormatter.date("2025-05-01T18:30:00Z", timeZone: try #require(TimeZone(secondsFromGMT: -9 * 3600))) == "2025-05-01 09:30")
    }
}
