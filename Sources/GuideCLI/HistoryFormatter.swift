import GuideProtocol
import GuideCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `guidectl history`: a small table of ended sessions, oldest first (newest last, next
/// to the prompt), with local start times.
public enum HistoryFormatter {
    /// `entries` ordered by start time, oldest first (newest last), as the table shows
    /// them: the history file is in order of end time, and a session started earlier may
    /// have ended later. Entries with the same start keep their order.
    public static func newestLast(_ entries: [HistoryEntry]) -> [HistoryEntry] {
        let keyed = entries.enumerated().map { (start: ISO8601Time.parse($0.element.startedAt) ?? 0, index: $0.offset, entry: $0.element) }
        return keyed.sorted { ($0.start, $0.index) < ($1.start, $1.index) }.map(\.entry)
    }

    /// ```
    /// date              session   outcome   min
    /// 2025-05-01 18:30  cooldown  finished  12.5
    /// ```
    public static func table(_ entries: [HistoryEntry], timeZone: TimeZone) -> String {
        table(entries, offset: .of(timeZone))
    }

    /// The table in the system's local time zone.
    public static func table(_ entries: [HistoryEntry]) -> String {
        table(entries, offset: .local)
    }

    static func table(_ entries: [HistoryEntry], offset: UTCOffset) -> String {
        let header = ["date", "session", "outcome", "min"]
        let rows = newestLast(entries).map { entry in
            [date(entry.startedAt, offset: offset), entry.session, entry.outcome.rawValue, minutes(entry.elapsed)]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { row in
            row.indices.map { column in
                // The number column is right-aligned; the last column carries no padding.
                column == row.count - 1
                    ? String(repeating: " ", count: widths[column] - row[column].count) + row[column]
                    : row[column] + String(repeating: " ", count: widths[column] - row[column].count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `2025-05-01 18:30` in `timeZone`, or the text as it is when it is not ISO 8601.
    public static func date(_ iso: String, timeZone: TimeZone) -> String {
        date(iso, offset: .of(timeZone))
    }

    static func date(_ iso: String, offset: UTCOffset) -> String {
        guard let unix = ISO8601Time.parse(iso) else { return iso }
        let local = unix + Double(offset.seconds(unix))
        let day = Int((local / 86_400).rounded(.down))
        let minuteOfDay = Int((local - Double(day) * 86_400) / 60)
        return CivilDay.text(day) + " " + CivilDay.two(minuteOfDay / 60) + ":" + CivilDay.two(minuteOfDay % 60)
    }

    /// Minutes with one decimal: `12.5`, `0.2`.
    public static func minutes(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) / 6).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
