extension Duration {
    /// In milliseconds with three decimals, rounded to the microsecond ("12.345", "-0.250"),
    /// for log lines such as `late_ms=`. Our own, as `String(format:)` needs all of Foundation.
    var millisecondsText: String {
        let (seconds, attoseconds) = components
        let half: Int64 = attoseconds < 0 ? -500_000_000_000 : 500_000_000_000
        return Self.thousandths(seconds * 1_000_000 + (attoseconds + half) / 1_000_000_000_000)
    }

    /// In seconds with three decimals, truncated to the millisecond ("1.005"), for log
    /// lines such as a hook's `took=`.
    var secondsText: String {
        let (seconds, attoseconds) = components
        return Self.thousandths(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// `value` / 1000 written with exactly three decimals.
    private static func thousandths(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let fraction = String(magnitude % 1000)
        let padded = String(repeating: "0", count: 3 - fraction.count) + fraction
        return (value < 0 ? "-" : "") + "\(magnitude / 1000).\(padded)"
    }
}
