/// The duration grammar of session files: a number of seconds (`45`, `2.5`) or a string
/// of hours, minutes and seconds in that order (`"45s"`, `"1m30s"`, `"2m"`, `"1h"`).
public enum DurationText {
    /// What a person should write instead, for error messages.
    public static let hint = "use 90, \"90s\" or \"1m30s\""

    /// Parses a string such as `"1h2m3s"`; nil when it does not follow the grammar.
    public static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var digits = ""
        var lastUnitRank = 0
        var sawUnit = false
        for ch in text {
            if let d = ch.wholeNumberValue, ch.isASCII {
                guard digits.count < 9 else { return nil }
                digits.append(Character(String(d)))
                continue
            }
            let rank: Int
            let seconds: Int64
            switch ch {
            case "h": rank = 1; seconds = 3600
            case "m": rank = 2; seconds = 60
            case "s": rank = 3; seconds = 1
            default: return nil
            }
            guard let n = Int64(digits), rank > lastUnitRank else { return nil }
            total += .seconds(n * seconds)
            lastUnitRank = rank
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty ? total : nil
    }

    /// Seconds as a `Duration`, to the millisecond; nil for non-finite or huge values.
    public static func seconds(_ value: Double) -> Duration? {
        guard value.isFinite, abs(value) < 1e9 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// A duration as people read it in a plan: `45s`, `1m30s`, `2h`, `1.5s`.
    public static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms % 1000 != 0 { return JSONValue.format(Double(ms) / 1000) + "s" }
        var s = ms / 1000
        var out = ""
        if s >= 3600 { out += "\(s / 3600)h"; s %= 3600 }
        if s >= 60 { out += "\(s / 60)m"; s %= 60 }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }

    /// `m:ss` (or `h:mm:ss`) for a clock-like display, rounding partial seconds up so that a
    /// countdown shows `0:01` until the very end.
    public static func clock(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded(.up)))
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}

extension Duration {
    /// Whole milliseconds (truncated).
    public var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (truncated).
    public var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }

    /// Seconds as a `Double`, for the wire.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
