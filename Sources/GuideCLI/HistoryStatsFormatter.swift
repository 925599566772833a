import GuideProtocol
import GuideCore
/// The text of `guidectl history --stats`:
///
/// ```
/// streak      3 days, today included
/// this week   42.5 min, 4 sessions (3 finished) since 2025-05-05
/// this month  120.0 min, 10 sessions (8 finished) since 2025-05-01
///
/// session    finished  other   min
/// cooldown          5      1  47.5
/// ```
public enum HistoryStatsFormatter {
    public static func text(_ stats: HistoryStats) -> String {
        var lines = [
            "streak      " + streak(stats.streak),
            "this week   " + period(stats.week),
            "this month  " + period(stats.month),
        ]
        guard !stats.sessions.isEmpty else { return lines.joined(separator: "\n") }
        lines.append("")
        let header = ["session", "finished", "other", "min"]
        let rows = stats.sessions.map { [$0.session, String($0.finished), String($0.other), minutes($0.minutes)] }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(
                row.indices.map { column in
                    let pad = String(repeating: " ", count: widths[column] - row[column].count)
                    return column == 0 ? row[column] + pad : pad + row[column]  // numbers right-aligned
                }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// `3 days, today included`, `1 day (one today keeps it going)`, `none yet`.
    public static func streak(_ streak: HistoryStats.Streak) -> String {
        guard streak.days > 0 else { return "0 days (finish a session today to start one)" }
        let days = streak.days == 1 ? "1 day" : "\(streak.days) days"
        return streak.today ? "\(days), today included" : "\(days) (finish a session today to keep it going)"
    }

    /// `42.5 min, 4 sessions (3 finished) since 2025-05-05`.
    public static func period(_ period: HistoryStats.Period) -> String {
        let sessions = period.sessions == 1 ? "1 session" : "\(period.sessions) sessions"
        return "\(minutes(period.minutes)) min, \(sessions) (\(period.finished) finished) since \(period.since)"
    }

    static func minutes(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
