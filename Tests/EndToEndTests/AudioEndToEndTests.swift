import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// What the person would hear, captured through ALSA's own file plugin.
@Suite("guided cues through ALSA")
struct AudioEndToEndTests {
    @Test("a real session's cues land in the captured stream in order, with their pitches")
    func capturedSession() throws {
        let probe = try DaemonFixture()
        let capture = probe.root + "/cues.raw"
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "file:'\(capture)',raw")
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        _ = try daemon.request(.start, session: "quick")
        let events = try SubscriptionTests.events(on: watcher, until: .finished)
        #expect(events.last?.event == .finished)
        #expect(events.allSatisfy { $0.status.audio?.ok == true })
        // The device is released after the end cue: wait for the capture to hold all of it.
        let samples = try waitForSamples(capture, atLeast: 48 * (300 + 200 + 240 + 80 + 300 + 540))
        // 10 ms windows cannot tell 659 Hz from 660 Hz: the end cue's middle tone reads as
        // 660 here (GuideAudioTests check every pitch to ±2 Hz).
        let found = ToneAnalysis.pitchSequence(samples, candidates: [440, 523, 660, 784, 880, 1320])
        // start (523, 784), step (880), side (660, 660), rest (440), end (784, 659, 523).
        #expect(found == [523, 784, 880, 660, 660, 440, 784, 660, 523], "\(found)")
    }

    @Test("a missing device: audio.ok=false with the ALSA error, and the session still runs to its end")
    func missingDevice() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick], audioDevice: "hw:9")
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        _ = try daemon.request(.start, session: "quick")
        let events = try SubscriptionTests.events(on: watcher, until: .finished)
        let audio = try #require(events.first { $0.event == .audio })
        #expect(audio.status.audio?.ok == false)
        #expect(audio.status.audio?.error?.contains("No such file or directory") == true, "\(audio.status.audio?.error ?? "")")
        #expect(events.filter { $0.event == .audio }.count == 1, "one report, not one per cue")
        #expect(events.last?.event == .finished)
        #expect(events.last?.status.audio?.ok == false)
        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("ALSA lib") }, "libasound must not print on stderr itself")
        #expect(daemon.log.contains("audio device failed"))
    }

    private func waitForSamples(_ path: String, atLeast count: Int) throws -> [Int16] {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let samples = (try? ToneAnalysis.readRawS16LE(path: path)) ?? []
            if samples.count >= count || ContinuousClock.now > deadline { return samples }
            usleep(20_000)
        }
    }
}
