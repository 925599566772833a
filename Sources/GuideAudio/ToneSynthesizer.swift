import GuideCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns a cue's tones into mono S16 samples: sines at exactly the requested pitch, each
/// exactly `milliseconds × sampleRate / 1000` samples long, shaped by raised-cosine
/// attack and release ramps so that a tone starts and ends at zero (an abrupt start is
/// an audible click), with each tone's gap rendered as silence.
///
/// Rendering is pure and deterministic; ``RenderedPalette`` does it once per session.
public struct ToneSynthesizer: Sendable {
    /// Length of the attack and of the release ramp (docs/session-format.md, "Cues").
    public static let rampMilliseconds = 5

    public let sampleRate: Int

    public init(sampleRate: Int = 48_000) {
        precondition(sampleRate > 0, "sample rate must be positive")
        self.sampleRate = sampleRate
    }

    /// How many samples `milliseconds` take at this rate (rounded down).
    public func sampleCount(milliseconds: Int) -> Int {
        max(0, milliseconds) * sampleRate / 1000
    }

    /// The samples for `tones` played in order at `volume` (linear, clamped to 0…1; 1 is
    /// full scale).
    public func render(_ tones: [Tone], volume: Double) -> [Int16] {
        let total = tones.reduce(0) { $0 + sampleCount(milliseconds: $1.milliseconds) + sampleCount(milliseconds: $1.gapMilliseconds) }
        var samples = [Int16]()
        samples.reserveCapacity(total)
        for tone in tones {
            appendTone(tone, volume: volume, to: &samples)
            samples.append(contentsOf: repeatElement(0, count: sampleCount(milliseconds: tone.gapMilliseconds)))
        }
        return samples
    }

    private func appendTone(_ tone: Tone, volume: Double, to samples: inout [Int16]) {
        let count = sampleCount(milliseconds: tone.milliseconds)
        let amplitude = min(1, max(0, volume)) * Double(Int16.max)
        // A tone shorter than two ramps gets two half-length ramps (a raised-cosine bump).
        let ramp = min(sampleCount(milliseconds: Self.rampMilliseconds), count / 2)
        let step = 2 * Double.pi * tone.frequency / Double(sampleRate)
        for index in 0..<count {
            let fromEdge = min(index, count - 1 - index)
            let envelope = fromEdge < ramp ? 0.5 * (1 - cos(Double.pi * Double(fromEdge) / Double(ramp))) : 1
            let value = amplitude * envelope * sin(step * Double(index))
            samples.append(Int16(value.rounded()))
        }
    }
}
