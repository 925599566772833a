import Foundation
@testable import GuideCore

/// Fixed time zones (through Foundation's tz database, so that the tests do not depend on
/// the machine's TZ) and readable dates for the schedule tests.
enum Zones {
    static let berlin = zone("Europe/Berlin")
    static let utc = UTCOffset.fixed(0)

    static func zone(_ identifier: String) -> UTCOffset {
        let zone = TimeZone(identifier: identifier)!
        return UTCOffset { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) }
    }

    /// The Unix time of a UTC date and time.
    static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Double {
        Double(CivilDay.number(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s)
    }

    /// The Unix time at which `offset`'s wall clock reads this date and time.
    static func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0, in offset: UTCOffset) -> Double {
        offset.unixTime(local: utc(y, mo, d, h, mi, s))
    }

    /// `2026-03-29 03:30` in `offset`'s local time.
    static func text(_ unix: Double, in offset: UTCOffset) -> String {
        let local = Int(offset.localSeconds(unix).rounded(.down))
        let day = Int((Double(local) / 86_400).rounded(.down))
        let s = local - day * 86_400
        var out = CivilDay.text(day) + " " + CivilDay.two(s / 3600) + ":" + CivilDay.two(s % 3600 / 60)
        if s % 60 != 0 { out += ":" + CivilDay.two(s % 60) }
        return out
    }
}

extension Schedule {
    /// A schedule from JSON text, for tests.
    static func parse(_ json: String) throws -> Schedule {
        try ScheduleDecoder.decode(Array(json.utf8), fileName: "schedule.json")
    }
}

extension Array where Element == SchedulerEvent {
    /// `fire water due`, `missed water`: events as short words for #expect.
    var words: [String] {
        map { event in
            switch event {
            case .fire(let f): "fire \(f.name) \(f.kind.rawValue)"
            case .outcome(let o): "\(o.result.rawValue) \(o.name)"
            }
        }
    }
}
