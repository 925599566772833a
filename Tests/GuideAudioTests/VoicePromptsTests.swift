import GuideCore
import Testing

@testable import GuideAudio

@Suite("VoicePrompts")
struct VoicePromptsTests {
    @Test("what is said at each cue")
    func script() {
        let session = Session(
            name: "s", title: "S",
            steps: [
                Step(name: "Knee-to-chest", duration: .seconds(30), sides: true),
                Step(name: "Breathe", duration: .seconds(15), rest: true),
                Step(name: "Child's pose", duration: .seconds(90)),
            ])
        let timeline = Timeline(session)
        let script = VoicePrompts.script(for: timeline)
        let said = timeline.cues.compactMap { cue in script[cue.index].map { "\(cue.kind.rawValue): \($0.text)" } }
        #expect(
            said == [
                "start: Knee to chest, left side. 30 seconds.",
                "side: Switch sides. 30 seconds.",
                "rest: Breathe. 15 seconds.",
                "step: Last step. Child's pose. 1 minute 30 seconds.",
                "end: Session complete.",
            ])
        // Each prompt has until the next cue: the first countdown tick 27 s after the
        // start, 12 s after the rest step's start; nothing follows the end.
        #expect(script[0]?.room == .seconds(27))
        let rest = timeline.cues.first { $0.kind == .rest }!
        #expect(script[rest.index]?.room == .seconds(12))
        #expect(script[timeline.cues.last!.index]?.room == nil)
    }

    @Test func durations() {
        #expect(VoicePrompts.duration(.seconds(1)) == "1 second")
        #expect(VoicePrompts.duration(.seconds(60)) == "1 minute")
        #expect(VoicePrompts.duration(.seconds(3725)) == "1 hour 2 minutes 5 seconds")
        #expect(VoicePrompts.duration(.milliseconds(2500)) == "3 seconds")
    }

    @Test("resampling keeps the length ratio and the level")
    func resample() {
        let input = [Int16](repeating: 1000, count: 22050)
        let output = Resampler.linear(input, from: 22050, to: 48000)
        #expect(output.count == 48000)
        #expect(output.allSatisfy { $0 == 1000 })
        #expect(Resampler.linear(input, from: 22050, to: 48000, gain: 0.5).first == 500)
    }
}
