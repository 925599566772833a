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

import GuideCore

/// `history`'s days and times use GuideCore's ``UTCOffset`` and ``CivilDay`` (shared with
/// the schedule's reminders); the names stay visible here for the history code.
public typealias UTCOffset = GuideCore.UTCOffset
typealias CivilDay = GuideCore.CivilDay

extension UTCOffset {
    /// A time zone's offsets (e.g. a fixed `TimeZone(secondsFromGMT:)` in tests).
    public static func of(_ zone: TimeZone) -> UTCOffset {
        UTCOffset { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) }
    }
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

extension WireTime {
    /// The Unix time of an ISO 8601 text the daemon wrote.
    public static func unix(_ iso: String) -> Double? { ISO8601Time.parse(iso) }
}
