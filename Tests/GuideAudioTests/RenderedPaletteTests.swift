import GuideAudio
import GuideCore
import Testing

@Suite("RenderedPalette")
struct RenderedPaletteTests {
    @Test("a palette is rendered once per (sounds, volume, rate) and then shared")
    func cacheIdentity() {
        var sounds = CueSounds.standard
        sounds.parts[.step] = [.tone(Tone(frequency: 901, milliseconds: 77))]
        let first = RenderedPalette.rendered(sounds, volume: 0.61, sampleRate: 48_000)
        let second = RenderedPalette.rendered(sounds, volume: 0.61, sampleRate: 48_000)
        #expect(first === second)
        // `sounds.volume` is not part of the key: the caller passes the volume to use.
        sounds.volume = 0.1
        #expect(RenderedPalette.rendered(sounds, volume: 0.61, sampleRate: 48_000) === first)
        #expect(RenderedPalette.rendered(sounds, volume: 0.62, sampleRate: 48_000) !== first)
        #expect(RenderedPalette.rendered(sounds, volume: 0.61, sampleRate: 44_100) !== first)
        #expect(RenderedPalette.rendered(.standard, volume: 0.61, sampleRate: 48_000) !== first)
    }

    @Test("it holds every cue kind, rendered as the synthesizer renders it")
    func contents() {
        var sounds = CueSounds.standard
        sounds.parts[.countdown] = [.tone(Tone(frequency: 1500, milliseconds: 40))]
        let palette = RenderedPalette.rendered(sounds, volume: 0.5, sampleRate: 48_000)
        let synthesizer = ToneSynthesizer(sampleRate: 48_000)
        for kind in CueKind.allCases {
            #expect(palette.samples(for: kind) == synthesizer.render(sounds.parts(for: kind).compactMap(\.tone), volume: 0.5))
            #expect(palette.parts[kind] == sounds.parts(for: kind))
        }
        #expect(palette.samples(for: .countdown).count == 40 * 48)
    }

    @Test("concurrent first uses still share one instance")
    func concurrentFirstUse() async {
        var sounds = CueSounds.standard
        sounds.parts[.rest] = [.tone(Tone(frequency: 333, milliseconds: 123))]
        let palettes = await withTaskGroup(of: RenderedPalette.self) { group in
            for _ in 0..<8 {
                group.addTask { [sounds] in RenderedPalette.rendered(sounds, volume: 0.33, sampleRate: 48_000) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(palettes.allSatisfy { $0 === palettes[0] })
    }
}
