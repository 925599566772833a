import GuideCore
import Synchronization

/// The samples of all six cue kinds for one palette and volume (tones synthesized, sound
/// files resampled to the device's rate), rendered together ahead
/// of time so that playing a cue is a copy to the device, never synthesis on the timing
/// path (docs/session-format.md, "Cues": samples are synthesized once, not per cue).
///
/// Instances are immutable and shared: ``rendered(_:volume:sampleRate:)`` keeps the most
/// recently used palettes, so starting the same session again reuses its samples.
public final class RenderedPalette: Sendable {
    /// Each kind's tones and sound files, as rendered.
    public let parts: [CueKind: [CuePart]]
    public let volume: Double
    public let sampleRate: Int
    private let samples: [CueKind: [Int16]]

    /// Renders every cue kind of `sounds` at `volume`. Prefer the cached
    /// ``rendered(_:volume:sampleRate:)``; this is for callers that want a private copy.
    public init(sounds: CueSounds, volume: Double, sampleRate: Int) {
        let synthesizer = ToneSynthesizer(sampleRate: sampleRate)
        var parts: [CueKind: [CuePart]] = [:]
        var samples: [CueKind: [Int16]] = [:]
        for kind in CueKind.allCases {
            let cue = sounds.parts(for: kind)
            parts[kind] = cue
            samples[kind] = cue.flatMap { Self.render($0, synthesizer: synthesizer, volume: volume) }
        }
        self.parts = parts
        self.volume = volume
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// One part's samples at the synthesizer's rate, its gap included: a tone synthesized,
    /// a sound file resampled from its own rate (linear interpolation, as for speech) and
    /// scaled by `volume` like a tone's full scale.
    static func render(_ part: CuePart, synthesizer: ToneSynthesizer, volume: Double) -> [Int16] {
        switch part {
        case .tone(let tone):
            return synthesizer.render([tone], volume: volume)
        case .file(let clip):
            let gain = min(1, max(0, volume))
            return Resampler.linear(clip.samples, from: clip.sampleRate, to: synthesizer.sampleRate, gain: gain)
                + repeatElement(0, count: synthesizer.sampleCount(milliseconds: clip.gapMilliseconds))
        }
    }

    /// The mono samples of `kind`.
    public func samples(for kind: CueKind) -> [Int16] {
        samples[kind]!
    }

    // MARK: - Cache

    private struct Key: Hashable {
        var parts: [CueKind: [CuePart]]
        var volume: Double
        var sampleRate: Int
    }

    /// A daemon sees a handful of distinct palettes (sessions with their own cues); this
    /// bounds the memory a long-running process spends on old ones.
    static let cacheLimit = 8

    /// Most recently used last.
    private static let cache = Mutex<[(key: Key, palette: RenderedPalette)]>([])

    /// The palette for `sounds` at `volume`, rendered on first use and shared afterwards.
    /// `sounds.volume` is ignored: the caller decides the volume (see ``CuePlayer``).
    public static func rendered(_ sounds: CueSounds, volume: Double, sampleRate: Int) -> RenderedPalette {
        let key = Key(
            parts: Dictionary(uniqueKeysWithValues: CueKind.allCases.map { ($0, sounds.parts(for: $0)) }),
            volume: volume, sampleRate: sampleRate)
        if let hit = lookUp(key) {
            return hit
        }
        // Rendered outside the lock; if two threads race, the first stored copy wins, so
        // every caller still gets the same instance.
        let palette = RenderedPalette(sounds: sounds, volume: volume, sampleRate: sampleRate)
        return cache.withLock { entries in
            if let index = entries.firstIndex(where: { $0.key == key }) {
                return entries[index].palette
            }
            entries.append((key, palette))
            if entries.count > cacheLimit {
                entries.removeFirst(entries.count - cacheLimit)
            }
            return palette
        }
    }

    private static func lookUp(_ key: Key) -> RenderedPalette? {
        cache.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.palette
        }
    }
}
