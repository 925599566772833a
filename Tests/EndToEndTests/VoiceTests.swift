import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// Spoken prompts (espeak-ng), captured through ALSA's file plugin: each prompt follows its
/// cue's tone in the stream, speech-length and not silent.
@Suite("spoken prompts")
struct VoiceTests {
    /// start (0 s) + "Knee to chest, left side. 3 seconds."; side (3 s) + "Switch sides. 3
    /// seconds."; end (6 s) + "Session complete."
    static func session(voice: Bool?) -> String {
        let field = voice.map { #""voice": \#($0), "# } ?? ""
        return #"{"title": "Spoken", \#(field)"steps": [{"name": "Knee-to-chest", "duration": 3, "sides": true}]}"#
    }

    /// Samples of the three tones: start 2×150 ms, side 120 + 80 + 120 ms, end 3×180 ms.
    static let startTone = 48 * 300
    static let sideTone = 48 * 320
    static let endTone = 48 * 540
    static let tones = startTone + sideTone + endTone

    /// Runs the session on a daemon with `arguments` (and `environment`), returns the
    /// captured samples and the last status.
    static func capture(session: String, arguments: [String], environment: [String: String] = [:]) throws -> (
        samples: [Int16], status: Status
    ) {
        let probe = try DaemonFixture()
        let path = probe.root + "/speech.raw"
        let daemon = try DaemonFixture(
            sessions: ["spoken": session], audioDevice: "file:'\(path)',raw", arguments: arguments, environment: environment)
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        #expect(try daemon.request(.start, session: "spoken").ok)
        let events = try SubscriptionTests.events(on: watcher, until: .finished)
        #expect(events.last?.event == .finished)
        // The device is released once the end cue and its prompt are written.
        #expect(eventually { daemon.log.contains("audio device released") }, "\(daemon.log)")
        return (try ToneAnalysis.readRawS16LE(path: path), events.last?.status ?? .idle)
    }

    /// Whether `samples` sound like speech: loud enough, and sound in most 10 ms windows
    /// (speech pauses between words, but briefly).
    static func isSpeech(_ samples: ArraySlice<Int16>) -> Bool {
        guard ToneAnalysis.peak(of: samples) > 2000 else { return false }
        let windows = stride(from: samples.startIndex, to: samples.endIndex - 480, by: 480).map { samples[$0..<$0 + 480] }
        let voiced = windows.filter { ToneAnalysis.peak(of: $0) > 300 }.count
        return Double(voiced) / Double(max(1, windows.count)) > 0.5
    }

    @Test("a session with \"voice\": true speaks after each step tone, side tone and end tone")
    func speaksAfterTones() throws {
        let (samples, status) = try Self.capture(session: Self.session(voice: true), arguments: [])
        #expect(status.audio?.ok == true)
        #expect(status.audio?.error == nil)
        let speech = samples.count - Self.tones
        // Three prompts of about a second or two each (espeak-ng at 165 words per minute).
        #expect(speech > 48_000 * 3, "\(Double(speech) / 48_000) s of speech")
        #expect(speech < 48_000 * 8)
        // The stream starts with the start tone itself (the tone marks the instant) …
        #expect(ToneAnalysis.pitchSequence(Array(samples[..<Self.startTone]), candidates: [523, 784, 880, 660]) == [523, 784])
        // … and what follows it is speech, not silence and not a tone.
        let afterStart = samples[Self.startTone..<Self.startTone + 48_000]
        #expect(Self.isSpeech(afterStart))
        #expect(ToneAnalysis.pitchSequence(Array(afterStart), candidates: [523, 784, 880, 660, 1320]).count > 2, "speech is no single pitch")
        // The prompt fits before the side cue: the side tone (660 Hz twice) follows it.
        let sideRegion = ToneAnalysis.soundRanges(in: samples, threshold: 64, minimumSilence: 48 * 60)
        #expect(sideRegion.count >= 3, "tone, speech, tone …")
    }

    @Test("--voice speaks for sessions without \"voice\"; a session's \"voice\": false wins")
    func flagAndSessionOverride() throws {
        let (spoken, _) = try Self.capture(session: Self.session(voice: nil), arguments: ["--voice", "--voice-rate", "220"])
        #expect(spoken.count - Self.tones > 48_000 * 2)
        #expect(Self.isSpeech(spoken[Self.startTone..<Self.startTone + 24_000]))
        let (silent, _) = try Self.capture(session: Self.session(voice: false), arguments: ["--voice"])
        #expect(silent.count == Self.tones, "tones only: \(silent.count) samples")
    }

    @Test("without a loadable libespeak-ng: tones only, and the status says why")
    func missingLibrary() throws {
        // guided opens libespeak-ng.so.1 with dlopen when a session first speaks; an empty
        // file of that name found first on LD_LIBRARY_PATH stands in for a broken or missing
        // library (dlopen fails on it: "file too short").
        let probe = try DaemonFixture()
        let libraries = probe.root + "/lib"
        try FileManager.default.createDirectory(atPath: libraries, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: libraries + "/libespeak-ng.so.1", contents: Data()))
        let (samples, status) = try Self.capture(
            session: Self.session(voice: true), arguments: [], environment: ["LD_LIBRARY_PATH": libraries])
        #expect(samples.count == Self.tones)
        #expect(status.audio?.ok == true)
        let error = status.audio?.error ?? ""
        #expect(error.hasPrefix("voice unavailable ("), "\(error)")
        #expect(error.hasSuffix("); cues are tones only"))
        #expect(error.contains("libespeak-ng.so.1"), "\(error)")
        #expect(error.contains("is libespeak-ng1 installed?"), "\(error)")
    }

    @Test("an unknown voice: tones only, and the status says why")
    func missingVoice() throws {
        let (samples, status) = try Self.capture(session: Self.session(voice: true), arguments: ["--voice-name", "no-such-voice"])
        #expect(samples.count == Self.tones)
        #expect(status.audio?.ok == true)
        let error = status.audio?.error ?? ""
        #expect(error.hasPrefix("voice unavailable ("), "\(error)")
        #expect(error.hasSuffix("); cues are tones only"))
        #expect(error.contains("no-such-voice"))
    }
}
