import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

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
        samples.withUnsafeBufferPointer { amplitude(of: $0, at: frequency, sampleRate: sampleRate) }
    }

    public static func amplitude(of samples: [Int16], at frequency: Double, sampleRate: Int) -> Double {
        amplitude(of: samples[...], at: frequency, sampleRate: sampleRate)
    }

    private static func amplitude(of samples: UnsafeBufferPointer<Int16>, at frequency: Double, sampleRate: Int) -> Double {
        guard !samples.isEmpty else { return 0 }
        let omega = 2 * Double.pi * frequency / Double(sampleRate)
        let coefficient = 2 * cos(omega)
        var previous = 0.0
        var beforePrevious = 0.0
        for index in 0..<samples.count {
            let current = Double(samples[index]) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return 2 * max(0, power).squareRoot() / Double(samples.count)
    }

    /// The frequency of a single tone in `samples`, to within ~0.05 Hz: a first estimate
    /// from the zero-crossing rate, then the Goertzel amplitude's maximum searched around
    /// it at ever finer steps (the main lobe of a windowed sine peaks at its true
    /// frequency). Meant for one tone at a time, as the palette's tones are.
    public static func dominantFrequency(of samples: ArraySlice<Int16>, sampleRate: Int) -> Double {
        samples.withUnsafeBufferPointer { buffer in
            guard buffer.count > 1 else { return 0 }
            let duration = Double(buffer.count) / Double(sampleRate)
            var crossings = 0
            for index in 1..<buffer.count where (buffer[index - 1] < 0) != (buffer[index] < 0) {
                crossings += 1
            }
            let estimate = Double(crossings) / 2 / duration
            // The main lobe is about 1/duration wide each side; search two lobes around
            // the estimate (which is good to about one crossing over the window).
            let lobe = 1 / duration
            var low = max(1, estimate - 2 * lobe - 2)
            var high = estimate + 2 * lobe + 2
            var step = lobe / 4
            var best = estimate
            while true {
                best = scan(buffer, sampleRate: sampleRate, from: low, to: high, step: step)
                if step <= 0.05 { return best }
                low = best - step
                high = best + step
                step /= 10
            }
        }
    }

    public static func dominantFrequency(of samples: [Int16], sampleRate: Int) -> Double {
        dominantFrequency(of: samples[...], sampleRate: sampleRate)
    }

    private static func scan(_ samples: UnsafeBufferPointer<Int16>, sampleRate: Int, from low: Double, to high: Double, step: Double) -> Double {
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
        samples.withUnsafeBufferPointer { buffer in
            var peak = 0
            for sample in buffer {
                peak = max(peak, abs(Int(sample)))
            }
            return peak
        }
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

extension ToneAnalysis {
    /// The sequence of pitches in a stream of cues, as a listener would name them: each
    /// 10 ms window is matched to the strongest of `candidates` (silence skipped), and runs
    /// of the same pitch shorter than `minimumRun` windows (the blur where one tone turns
    /// into the next) are dropped before equal neighbours are merged. Candidates closer
    /// than ~100 Hz cannot be told apart at this resolution; use `dominantFrequency` on a
    /// single tone for exact pitch.
    public static func pitchSequence(
        _ samples: [Int16], candidates: [Double], sampleRate: Int = 48_000, minimumRun: Int = 3
    ) -> [Int] {
        let window = sampleRate / 100
        var runs: [(pitch: Int, count: Int)] = []
        var start = 0
        while start + window <= samples.count {
            let slice = samples[start..<start + window]
            start += window
            guard peak(of: slice) > 256 else {
                runs.append((0, 1))
                continue
            }
            let best = candidates.max { amplitude(of: slice, at: $0, sampleRate: sampleRate) < amplitude(of: slice, at: $1, sampleRate: sampleRate) }!
            let pitch = Int(best)
            if let last = runs.last, last.pitch == pitch { runs[runs.count - 1].count += 1 } else { runs.append((pitch, 1)) }
        }
        var sequence: [Int] = []
        var previous = 0
        for run in runs {
            if run.pitch == 0 {
                previous = 0  // a silence separates two cues, or two tones of one cue
                continue
            }
            guard run.count >= minimumRun else { continue }
            if run.pitch != previous { sequence.append(run.pitch) }
            previous = run.pitch
        }
        return sequence
    }
}
