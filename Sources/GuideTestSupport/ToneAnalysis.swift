import Foundation

/// Measurements on S16 mono audio for tests: what frequency a stretch of samples carries
/// (Goertzel's single-bin DFT, refined to a fraction of a hertz), where the sound and the
/// silences are, and reading a raw capture (`file:'…',raw` device) back.
///
/// Everything works on plain sample arrays so that a rendered palette, a `RecordingSink`
/// and a file written by libasound are checked the same way.
public enum ToneAnalysis {
    /// The amplitude (in sample units) of the `frequency` component of `samples`, by the
    /// Goertzel algorithm: for a pure sine of amplitude A filling the window, about A/2…A
    /// (less where ramps taper it); for other frequencies, close to 0.
    public static func amplitude(of samples: ArraySlice<Int16>, at frequency: Double, sampleRate: Int) -> Double {
        guard !samples.isEmpty else { return 0 }
        let omega = 2 * Double.pi * frequency / Double(sampleRate)
        let coefficient = 2 * cos(omega)
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return 2 * power.squareRoot() / Double(samples.count)
    }

    public static func amplitude(of samples: [Int16], at frequency: Double, sampleRate: Int) -> Double {
        amplitude(of: samples[...], at: frequency, sampleRate: sampleRate)
    }

    /// The frequency with the strongest component in `range`, to within ~0.05 Hz for a
    /// single tone: a coarse scan, then successively finer scans around the best bin.
    /// (The main lobe of a windowed sine peaks at its true frequency; the scan finds it.)
    public static func dominantFrequency(
        of samples: ArraySlice<Int16>, sampleRate: Int, in range: ClosedRange<Double> = 50...5_000
    ) -> Double {
        // The coarse step must be well inside the main lobe (≈ 2 × sampleRate / count wide).
        let lobe = Double(sampleRate) / Double(max(samples.count, 1))
        var step = max(0.5, min(10, lobe / 4))
        var best = scan(samples, sampleRate: sampleRate, from: range.lowerBound, to: range.upperBound, step: step)
        while step > 0.05 {
            let low = max(range.lowerBound, best - step)
            let high = min(range.upperBound, best + step)
            step /= 10
            best = scan(samples, sampleRate: sampleRate, from: low, to: high, step: step)
        }
        return best
    }

    public static func dominantFrequency(
        of samples: [Int16], sampleRate: Int, in range: ClosedRange<Double> = 50...5_000
    ) -> Double {
        dominantFrequency(of: samples[...], sampleRate: sampleRate, in: range)
    }

    private static func scan(_ samples: ArraySlice<Int16>, sampleRate: Int, from low: Double, to high: Double, step: Double) -> Double {
        var bestFrequency = low
        var bestAmplitude = -1.0
        var frequency = low
        while frequency <= high + step / 2 {
            let value = amplitude(of: samples, at: frequency, sampleRate: sampleRate)
            if value > bestAmplitude {
                bestAmplitude = value
                bestFrequency = frequency
            }
            frequency += step
        }
        return bestFrequency
    }

    /// The stretches of sound in `samples`: maximal runs that contain no silence of at
    /// least `minimumSilence` samples, silence meaning |sample| ≤ `threshold`. (A sine
    /// crosses zero every half period, so short quiet runs inside a tone do not split it.)
    public static func soundRanges(in samples: [Int16], threshold: Int16 = 64, minimumSilence: Int = 96) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        var lastLoud = -1
        for (index, sample) in samples.enumerated() where abs(Int(sample)) > Int(threshold) {
            if let current = start, index - lastLoud - 1 >= minimumSilence {
                ranges.append(current..<(lastLoud + 1))
                start = index
            } else if start == nil {
                start = index
            }
            lastLoud = index
        }
        if let start {
            ranges.append(start..<(lastLoud + 1))
        }
        return ranges
    }

    /// The largest absolute sample value.
    public static func peak(of samples: ArraySlice<Int16>) -> Int {
        samples.reduce(0) { max($0, abs(Int($1))) }
    }

    public static func peak(of samples: [Int16]) -> Int {
        peak(of: samples[...])
    }

    /// The samples of a raw S16_LE capture file.
    public static func readRawS16LE(path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return stride(from: 0, to: data.count - 1, by: 2).map { offset in
            Int16(bitPattern: UInt16(data[data.startIndex + offset]) | UInt16(data[data.startIndex + offset + 1]) << 8)
        }
    }
}
