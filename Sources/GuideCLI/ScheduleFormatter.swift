import GuideCore
import GuideProtocol

/// `guidectl schedule` as people read it, like `systemctl list-timers`: NEXT (local time),
/// LEFT, NAME, WHAT; then what waits for acknowledgement, and whether quiet hours hold
/// reminders back.
public enum ScheduleFormatter {
    public static func text(_ listing: ScheduleListing, now: Double, offset: UTCOffset = .local) -> String {
        var lines: [String] = []
        if let error = listing.error { lines.append("schedule not loaded (the previous one is in use): \(error)") }
        if listing.reminders.isEmpty {
            lines.append(listing.file.map { "no reminders in \($0)" } ?? "no schedule file")
        } else {
            var rows = [["NEXT", "LEFT", "NAME", "WHAT"]]
            for r in listing.reminders {
                let at = WireTime.unix(r.at) ?? now
                var what = r.text
                if r.heldByQuiet { what += " (after quiet hours)" }
                if r.waitingForRoutine { what += " (after the routine's step)" }
                rows.append([localTime(at, offset: offset), left(r.in), r.name, what])
            }
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let padded = (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
                lines.append((padded + [row[3]]).joined(separator: "  "))
            }
        }
        for w in listing.waiting {
            let since = WireTime.unix(w.firedAt).map { localTime($0, offset: offset) } ?? w.firedAt
            let snoozed = w.snoozes > 0 ? ", snoozed \(w.snoozes)×" : ""
            lines.append("waiting: \(w.name) since \(since)\(snoozed): 'guidectl done \(w.name)' or 'guidectl snooze \(w.name)'")
        }
        if let quiet = listing.quietUntil, let until = WireTime.unix(quiet) {
            lines.append("quiet hours until \(localTime(until, offset: offset)) hold reminders back ('guidectl quiet off' ends them)")
        }
        return lines.joined(separator: "\n")
    }

    /// `Mon 2026-05-04 09:20:00`.
    public static func localTime(_ unix: Double, offset: UTCOffset) -> String {
        let local = Int(offset.localSeconds(unix).rounded(.down))
        let day = Int((Double(local) / 86_400).rounded(.down))
        let s = local - day * 86_400
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][CivilDay.weekdayFromMonday(day)]
        return "\(weekday) \(CivilDay.text(day)) \(CivilDay.two(s / 3600)):\(CivilDay.two(s % 3600 / 60)):\(CivilDay.two(s % 60))"
    }

    /// `45s`, `14min`, `1h 5min`, `2 days` as systemd writes time left.
    public static func left(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)min" + (s % 60 > 0 && s < 600 ? " \(s % 60)s" : "") }
        if s < 86_400 { return "\(s / 3600)h" + (s % 3600 / 60 > 0 ? " \(s % 3600 / 60)min" : "") }
        return s < 2 * 86_400 ? "1 day" : "\(s / 86_400) days"
    }
}
