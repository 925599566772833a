import Foundation

/// `guidectl history`: a small table of ended sessions, oldest first (newest last, next
/// to the prompt), with local start times.
public enum HistoryFormatter {
    /// ```
    /// date              session   outcome   min
    /// 2025-05-01 18:30  cooldown  finished  12.5
    /// ```
    public static func table(_ entries: [HistoryEntry], timeZone: TimeZone = .current) -> String {
        let header = ["date", "session", "outcome", "min"]
        let rows = entries.map { entry in
            [date(entry.startedAt, timeZone: timeZone), entry.session, entry.outcome.rawValue, minutes(entry.elapsed)]
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
        let parser = ISO8601DateFormatter()
        var parsed = parser.date(from: iso)
        if parsed == nil {
            parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            parsed = parser.date(from: iso)
        }
        guard let parsed else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: parsed)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// Minutes with one decimal: `12.5`, `0.2`.
    public static func minutes(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) / 6).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
