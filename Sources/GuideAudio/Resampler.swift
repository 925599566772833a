/// Sample-rate conversion for speech (espeak-ng's 22050 Hz to the player's 48 kHz): linear
/// interpolation, which is plenty for a voice whose energy lies below 5 kHz.
enum Resampler {
    static func linear(_ samples: [Int16], from source: Int, to target: Int, gain: Double = 1) -> [Int16] {
        guard !samples.isEmpty, source > 0, target > 0 else { return [] }
        if source == target, gain == 1 { return samples }
        let count = Int((Int64(samples.count) * Int64(target)) / Int64(source))
        let step = Double(source) / Double(target)
        var out = [Int16](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { input in
            for index in 0..<count {
                let position = Double(index) * step
                let left = min(Int(position), input.count - 1)
                let right = min(left + 1, input.count - 1)
                let fraction = position - Double(left)
                let value = (Double(input[left]) * (1 - fraction) + Double(input[right]) * fraction) * gain
                out[index] = Int16(max(-32768, min(32767, value.rounded())))
            }
        }
        return out
    }
}
