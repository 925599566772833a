import FoundationEssentials

/// How the cues in a recording line up with the times they were due: the measure of
/// issue 14's "every cue heard, on the grid" checks, and of the benchmark's table.
///
/// Onsets are found as the starts of sounds separated by at least `minimumSilence`; each
/// expected cue is matched to the onset nearest its place on the grid. The grid's
/// position in the recording is unknown (the recorder started earlier, the server adds
/// latency), so it is fitted: the median of onset − due over the matched cues. Errors are
/// against that median, as a listener hears them: a cue early or late relative to the
/// others.
public struct CueTimingReport: Sendable, CustomStringConvertible {
    /// Due offsets (seconds from the first cue) that were expected.
    public var expected: [Double]
    /// For each expected cue, its onset error in milliseconds, or nil if none was heard.
    public var errors: [Double?]
    /// Sounds in the recording that matched no expected cue.
    public var unexpected: Int

    public var heard: Int { errors.compactMap { $0 }.count }
    public var missing: [Int] { errors.indices.filter { errors[$0] == nil } }
    public var absoluteErrors: [Double] { errors.compactMap { $0.map(abs) }.sorted() }
    public var firstError: Double? { errors.first ?? nil }

    /// The same report with other errors (say, all but the first cue's).
    public func with(errors: [Double?]) -> CueTimingReport {
        var copy = self
        copy.errors = errors
        copy.expected = Array(expected.suffix(errors.count))
        return copy
    }

    /// The `fraction` quantile (0…1) of the absolute errors (nearest rank).
    public func quantile(_ fraction: Double) -> Double {
        let sorted = absoluteErrors
        guard !sorted.isEmpty else { return .infinity }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    public var description: String {
        let first = firstError.map { ($0 >= 0 ? "+" : "") + Self.oneDecimal($0) } ?? "missing"
        return "heard \(heard)/\(expected.count), missing \(missing), unexpected \(unexpected); error ms p50 \(Self.oneDecimal(quantile(0.5))) p99 \(Self.oneDecimal(quantile(0.99))) max \(Self.oneDecimal(absoluteErrors.last ?? .infinity)); first cue \(first)"
    }

    /// `value` rounded to one decimal ("12.3", "-0.5", "inf"): `String(format:)` needs all
    /// of Foundation.
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return value < 0 ? "-inf" : "inf" }
        let tenths = Int64((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(tenths.magnitude / 10).\(tenths.magnitude % 10)"
    }

    /// Matches the sounds in `samples` (mono, `sampleRate`) to cues due at `expected`
    /// seconds after the first. A cue counts as heard if a sound starts within `window`
    /// seconds of its fitted place.
    public init(
        samples: [Int16], expected: [Double], sampleRate: Int = 48_000, threshold: Int16 = 200,
        minimumSilence: Double = 0.25, window: Double = 0.15
    ) {
        self.expected = expected
        let onsets = ToneAnalysis.soundRanges(in: samples, threshold: threshold, minimumSilence: Int(minimumSilence * Double(sampleRate)))
            .map { Double($0.lowerBound) / Double(sampleRate) }
        guard let firstOnset = onsets.first, !expected.isEmpty else {
            errors = expected.map { _ in nil }
            unexpected = onsets.count
            return
        }
        // Fit the grid twice: first anchored on the first sound, then on the median.
        var anchor = firstOnset - expected[0]
        var matched: [Int?] = []
        for _ in 0..<2 {
            matched = expected.map { due in
                let place = anchor + due
                guard let index = onsets.indices.min(by: { abs(onsets[$0] - place) < abs(onsets[$1] - place) }),
                    abs(onsets[index] - place) <= window + 0.25
                else { return nil }
                return index
            }
            let offsets = zip(expected, matched).compactMap { due, index in index.map { onsets[$0] - due } }.sorted()
            if !offsets.isEmpty { anchor = offsets[offsets.count / 2] }
        }
        errors = zip(expected, matched).map { due, index in
            guard let index else { return nil }
            let error = onsets[index] - due - anchor
            return abs(error) <= window ? error * 1000 : nil
        }
        unexpected = onsets.count - Set(matched.compactMap { $0 }).count
    }
}
