import GuideProtocol
import GuideCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Calendar days and wall-clock times for `history`, computed with plain arithmetic on
/// the proleptic Gregorian calendar and a UTC offset: either a given `TimeZone`'s, or the
/// system's local one through `localtime_r` (TZ, /etc/localtime).
///
/// Why not `Calendar.current` / `TimeZone.current`: outside Apple platforms they need
/// FoundationInternationalization and ICU, which would more than double what the
/// static `guidectl` binary loads (and relocates) on every start, `status` included.
public struct UTCOffset: Sendable {
    /// Seconds east of UTC in effect at a Unix time.
    let seconds: @Sendable (Double) -> Int

    /// A time zone's offsets (e.g. a fixed `TimeZone(secondsFromGMT:)` in tests).
    public static func of(_ zone: TimeZone) -> UTCOffset {
        UTCOffset { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) }
    }

    /// The system's local time zone, daylight saving time included.
    public static let local = UTCOffset { unix in
        tzset()
        var time = time_t(unix.rounded(.down))
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}

/// Day numbers (days since 1970-01-01) and their dates.
enum CivilDay {
    /// The local day number of a Unix time.
    static func of(_ unix: Double, _ offset: UTCOffset) -> Int {
        Int(((unix + Double(offset.seconds(unix))) / 86_400).rounded(.down))
    }

    /// Year, month (1–12) and day (1–31) of a day number (H. Hinnant's `civil_from_days`).
    static func date(_ day: Int) -> (year: Int, month: Int, day: Int) {
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
    static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 for Monday … 6 for Sunday (day 0, 1970-01-01, was a Thursday).
    static func weekdayFromMonday(_ day: Int) -> Int {
        ((day + 3) % 7 + 7) % 7
    }

    /// `2025-05-01`.
    static func text(_ day: Int) -> String {
        let date = date(day)
        return String(date.year) + "-" + two(date.month) + "-" + two(date.day)
    }

    static func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
}

/// ISO 8601 times as the daemon writes them: `2025-05-01T18:30:00Z`, also with
/// fractional seconds (`18:30:00.250Z`) or an offset (`+02:00`, `+0200`) instead of `Z`.
/// As lenient as Foundation's `ISO8601DateFormatter` where it is lenient: a day past the
/// month's end or hour 24 rolls over, and text after the time zone is ignored.
enum ISO8601Time {
    /// The Unix time of `text`, or nil when it is not such a time.
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var n = 0
            for k in i..<(i + digits) {
                guard (0x30...0x39).contains(b[k]) else { return nil }
                n = n * 10 + Int(b[k] - 0x30)
            }
            i += digits
            return n
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("T"),
            let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 24, minute < 60, second < 60 else { return nil }
        let dayNumber = CivilDay.number(year: year, month: month, day: day)  // 30 February is 2 March
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if expect("Z") {
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = number(2) else { return nil }
            _ = expect(":")
            guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        return Double(dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
