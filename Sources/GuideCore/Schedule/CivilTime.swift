#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A time zone as the one thing guide needs from it: the offset from UTC in effect at a
/// Unix time. Local wall-clock times are then plain arithmetic on the proleptic Gregorian
/// calendar (``CivilDay``), for `history`'s dates and for the reminders of a schedule.
///
/// Why not `Calendar.current` / `TimeZone.current`: outside Apple platforms they need
/// FoundationInternationalization and ICU, which would more than double what the
/// static `guidectl` binary loads (and relocates) on every start, `status` included.
/// Tests build fixed zones from Foundation's `TimeZone` (see GuideProtocol's `UTCOffset.of`).
public struct UTCOffset: Sendable {
    /// Seconds east of UTC in effect at a Unix time.
    public let seconds: @Sendable (Double) -> Int

    public init(seconds: @escaping @Sendable (Double) -> Int) {
        self.seconds = seconds
    }

    /// The system's local time zone, daylight saving time included (TZ, /etc/localtime;
    /// `tzset` each time, so that a daemon follows a changed TZ file).
    public static let local = UTCOffset { unix in
        tzset()
        var time = time_t(unix.rounded(.down))
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    /// UTC, and fixed offsets (for tests and for `TZ=UTC`).
    public static func fixed(_ secondsEast: Int) -> UTCOffset { UTCOffset { _ in secondsEast } }

    /// The local wall-clock reading of `unix` as seconds since 1970-01-01 00:00 *local*.
    public func localSeconds(_ unix: Double) -> Double {
        unix + Double(seconds(unix))
    }

    /// The Unix time at which the local wall clock reads `local` (seconds since
    /// 1970-01-01 00:00 local). A reading that does not exist (the hour skipped when clocks
    /// go forward) is moved forward by the gap, as `mktime` does: 02:30 on a spring-forward
    /// night is 03:30. A reading that happens twice (clocks go back) is its first occurrence.
    public func unixTime(local: Double) -> Double {
        // The offsets in force a day either side of the reading: every real zone changes
        // its offset at most once within two days.
        let before = seconds(local - 86_400 - 14 * 3600)
        let after = seconds(local + 86_400 + 14 * 3600)
        let candidates = [local - Double(before), local - Double(after)]
        let valid = candidates.filter { localSeconds($0) == local }.sorted()
        if let first = valid.first { return first }
        // In a gap: the reading with the offset from before the change lands after it.
        return local - Double(before)
    }
}

/// Day numbers (days since 1970-01-01) and their dates.
public enum CivilDay {
    /// The local day number of a Unix time.
    public static func of(_ unix: Double, _ offset: UTCOffset) -> Int {
        Int(((unix + Double(offset.seconds(unix))) / 86_400).rounded(.down))
    }

    /// Year, month (1–12) and day (1–31) of a day number (H. Hinnant's `civil_from_days`).
    public static func date(_ day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The day number of a date (H. Hinnant's `days_from_civil`).
    public static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 for Monday … 6 for Sunday (day 0, 1970-01-01, was a Thursday).
    public static func weekdayFromMonday(_ day: Int) -> Int {
        ((day + 3) % 7 + 7) % 7
    }

    /// `2025-05-01`.
    public static func text(_ day: Int) -> String {
        let date = date(day)
        return String(date.year) + "-" + two(date.month) + "-" + two(date.day)
    }

    public static func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
}
