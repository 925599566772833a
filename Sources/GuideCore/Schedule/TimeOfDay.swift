/// A local wall-clock time of day, `HH:MM` or `HH:MM:SS`, as seconds since midnight.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 0 ..< 86 400.
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    public init(hour: Int, minute: Int, second: Int = 0) {
        self.seconds = hour * 3600 + minute * 60 + second
    }

    /// Parses `"18:30"` or `"07:05:30"` (24-hour clock, two digits each); nil otherwise.
    public static func parse(_ text: some StringProtocol) -> TimeOfDay? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard part.utf8.count == 2, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(part) else { return nil }
            numbers.append(n)
        }
        guard numbers[0] < 24, numbers[1] < 60, numbers.count == 2 || numbers[2] < 60 else { return nil }
        return TimeOfDay(hour: numbers[0], minute: numbers[1], second: numbers.count == 3 ? numbers[2] : 0)
    }

    /// `18:30`, or `18:30:05` when it has seconds.
    public var description: String {
        let h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60
        let base = CivilDay.two(h) + ":" + CivilDay.two(m)
        return s == 0 ? base : base + ":" + CivilDay.two(s)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.seconds < b.seconds }

    public static let hint = "use \"HH:MM\" or \"HH:MM:SS\" on a 24-hour clock, e.g. \"18:30\""
}

/// A daily window of local time, `"09:00-17:00"`, from its start (included) to its end
/// (excluded). A window whose end is earlier than its start crosses midnight
/// (`"22:00-07:30"`) and belongs to the day on which it starts.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    /// Parses `"09:00-17:00"`; nil when either side is not a time or both are equal.
    public static func parse(_ text: String) -> TimeWindow? {
        let sides = text.split(separator: "-", omittingEmptySubsequences: false)
        guard sides.count == 2,
            let start = TimeOfDay.parse(sides[0].trimmingSpaces), let end = TimeOfDay.parse(sides[1].trimmingSpaces),
            start != end
        else { return nil }
        return TimeWindow(start: start, end: end)
    }

    public var crossesMidnight: Bool { end < start }

    /// The window's length.
    public var length: Int { crossesMidnight ? 86_400 - start.seconds + end.seconds : end.seconds - start.seconds }

    public var description: String { "\(start)-\(end)" }

    public static let hint = "use \"HH:MM-HH:MM\", e.g. \"09:00-17:00\" or \"22:00-07:30\" across midnight"
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// The days of the week a reminder or quiet window applies to: `"mon-fri"`, `"sat,sun"`,
/// `"mon,wed,fri"`, `"fri-mon"` (a range may wrap past Sunday), or `"daily"`.
public struct Weekdays: Sendable, Hashable, CustomStringConvertible {
    /// Bit 0 is Monday … bit 6 Sunday (``CivilDay/weekdayFromMonday(_:)``).
    public var bits: UInt8

    public init(bits: UInt8) { self.bits = bits & 0x7F }

    public static let all = Weekdays(bits: 0x7F)
    public static let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public func contains(day: Int) -> Bool {
        bits & (1 << UInt8(CivilDay.weekdayFromMonday(day))) != 0
    }

    /// Parses the grammar above (case-insensitive, spaces allowed around commas); nil otherwise.
    public static func parse(_ text: String) -> Weekdays? {
        let lower = text.lowercased()
        if lower == "daily" { return .all }
        var bits: UInt8 = 0
        for item in lower.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.trimmingSpaces.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count) else { return nil }
            guard let first = names.firstIndex(of: String(bounds[0])),
                let last = names.firstIndex(of: String(bounds[bounds.count - 1]))
            else { return nil }
            var day = first
            while true {
                bits |= 1 << UInt8(day)
                if day == last { break }
                day = (day + 1) % 7
            }
        }
        return Weekdays(bits: bits)
    }

    public var description: String {
        if self == .all { return "daily" }
        return (0..<7).filter { bits & (1 << UInt8($0)) != 0 }.map { Self.names[$0] }.joined(separator: ",")
    }

    public static let hint = "use day names mon … sun, ranges and lists, e.g. \"mon-fri\", \"sat,sun\" or \"daily\""
}
