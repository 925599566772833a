import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// Sound files as cues, through the real binaries: `guidectl validate` reports a bad file
/// in one line, `guidectl test-sound SESSION` plays the session's own cues, and a running
/// session plays the file resampled to 48 kHz mono on the ALSA device.
@Suite("sound files as cues, end to end")
struct SoundFileCueEndToEndTests {
    /// A session whose step cue is `file`; countdown ticks and the rest keep their tones.
    static func session(file: String, steps: String = #"{"name": "Ring", "duration": 2}, {"name": "Again", "duration": 2}"#) -> String {
        #"{"title": "Bell", "cues": {"step": [{"file": "\#(file)", "gapMs": 100}]}, "steps": [\#(steps)]}"#
    }

    @Test("validate: a missing, undecodable or too long sound file is one line on stderr and exit 65")
    func validate() throws {
        let daemon = try DaemonFixture()
        let dir = daemon.root + "/checks"
        try FileManager.default.createDirectory(atPath: dir + "/sounds", withIntermediateDirectories: true)
        try SoundFileMaker.sine(dir + "/sounds/bell.flac", hertz: 1000, seconds: 0.3, sampleRate: 44_100)
        try SoundFileMaker.sine(dir + "/sounds/long.ogg", hertz: 500, seconds: 11, sampleRate: 8_000)
        try Data("RIFF, but not really\n".utf8).write(to: URL(fileURLWithPath: dir + "/sounds/bad.wav"))
        let files = [
            ("good", "sounds/bell.flac"), ("missing", "sounds/bell.wav"), ("bad", "sounds/bad.wav"), ("long", "sounds/long.ogg"),
        ]
        for (name, file) in files {
            try Data(Self.session(file: file).utf8).write(to: URL(fileURLWithPath: "\(dir)/\(name).json"))
        }
        let good = try daemon.guidectl(["validate", dir + "/good.json"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "\(dir)/good.json: ok (2 steps, 4s)\n")

        let result = try daemon.guidectl(["validate"] + files.map { "\(dir)/\($0.0).json" })
        #expect(result.status == 65)
        #expect(result.stdout == "\(dir)/good.json: ok (2 steps, 4s)\n")
        #expect(
            result.stderr.split(separator: "\n").map(String.init) == [
                #"guidectl: \#(dir)/missing.json: cues.step[0].file: cannot read "sounds/bell.wav": No such file or directory"#,
                #"guidectl: \#(dir)/bad.json: cues.step[0].file: cannot decode "sounds/bad.wav": Format not recognised (use a WAV, FLAC or Ogg Vorbis file)"#,
                #"guidectl: \#(dir)/long.json: cues.step[0].file: "sounds/long.ogg" lasts 11.0 s; a cue sound may last at most 10 s (shorten it, e.g. sox IN OUT trim 0 10)"#,
            ])
    }

    @Test("libsndfile is loaded only for a session that names a sound file; without it, one clear line")
    func libsndfileOnlyWhenNeeded() throws {
        let daemon = try DaemonFixture()
        let dir = daemon.root + "/lib-checks"
        try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
        try SoundFileMaker.sine(dir + "/bell.wav", hertz: 1000, seconds: 0.2, sampleRate: 48_000)
        try Data(Self.session(file: "bell.wav").utf8).write(to: URL(fileURLWithPath: dir + "/bell.json"))
        try Data(#"{"title": "Tones", "steps": [{"name": "A", "duration": 2}]}"#.utf8).write(to: URL(fileURLWithPath: dir + "/tones.json"))

        // LD_DEBUG=files names every library the dynamic loader opens, dlopen included.
        let tones = try daemon.guidectl(["validate", dir + "/tones.json"], environment: ["LD_DEBUG": "files"])
        #expect(tones.status == 0)
        #expect(!tones.stderr.contains("libsndfile"), "guidectl loaded libsndfile for a session of tones")
        let bell = try daemon.guidectl(["validate", dir + "/bell.json"], environment: ["LD_DEBUG": "files"])
        #expect(bell.status == 0)
        #expect(bell.stderr.contains("libsndfile.so.1"))

        // A libsndfile.so.1 that is not a library: the session is refused, saying why.
        #expect(FileManager.default.createFile(atPath: dir + "/lib/libsndfile.so.1", contents: Data()))
        let broken = try daemon.guidectl(["validate", dir + "/bell.json"], environment: ["LD_LIBRARY_PATH": dir + "/lib"])
        #expect(broken.status == 65)
        #expect(
            broken.stderr
                == "guidectl: \(dir)/bell.json: cues.step[0].file: cannot decode \"bell.wav\": \(dir)/lib/libsndfile.so.1: file too short (is libsndfile1 installed?)\n")
    }

    @Test("test-sound SESSION plays that session's cues, its sound file at 48 kHz mono")
    func testSoundSession() throws {
        let daemon = try DaemonFixture()
        try FileManager.default.createDirectory(atPath: daemon.sessionsDirectory + "/sounds", withIntermediateDirectories: true)
        try SoundFileMaker.sine(daemon.sessionsDirectory + "/sounds/bell.wav", hertz: 1200, seconds: 0.4, sampleRate: 44_100, channels: 2)
        try daemon.writeSession("bell", Self.session(file: "sounds/bell.wav"))

        for argument in ["bell", daemon.sessionsDirectory + "/bell.json"] {
            let capture = daemon.root + "/test-sound.raw"
            let result = try daemon.guidectl(["test-sound", "--device", "file:'\(capture)',raw", argument])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 6)
            #expect(lines.contains("step start       sounds/bell.wav 0.40 s"), "\(result.stdout)")
            let samples = try ToneAnalysis.readRawS16LE(path: capture)
            let pitches = ToneAnalysis.pitchSequence(samples, candidates: [440, 523, 660, 784, 1200, 1320])
            // start (523, 784), the bell, countdown (1320), side (660, 660), rest (440), end.
            #expect(pitches == [523, 784, 1200, 1320, 660, 660, 440, 784, 660, 523], "\(pitches)")
            Self.expectBell(in: samples, samples: 19_200, hertz: 1200)
            try FileManager.default.removeItem(atPath: capture)
        }

        let unknown = try daemon.guidectl(["test-sound", "--device", "null", "nosuch"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "guidectl: no session named \"nosuch\" on the search path; see 'guidectl list', or give a file path\n")
        try FileManager.default.removeItem(atPath: daemon.sessionsDirectory + "/sounds/bell.wav")
        let broken = try daemon.guidectl(["test-sound", "--device", "null", "bell"])
        #expect(broken.status == 65)
        #expect(broken.stderr == "guidectl: bell.json: cues.step[0].file: cannot read \"sounds/bell.wav\": No such file or directory\n")
        #expect(broken.stdout.isEmpty)
    }

    @Test("a running session plays its sound file cue on the device, resampled to 48 kHz mono")
    func daemonPlaysTheFile() throws {
        let probe = try DaemonFixture()
        let capture = probe.root + "/cues.raw"
        let daemon = try DaemonFixture(audioDevice: "file:'\(capture)',raw")
        try FileManager.default.createDirectory(atPath: daemon.sessionsDirectory + "/sounds", withIntermediateDirectories: true)
        try SoundFileMaker.sine(daemon.sessionsDirectory + "/sounds/bell.ogg", hertz: 1200, seconds: 0.3, sampleRate: 22_050, channels: 2)
        try daemon.writeSession("bell", Self.session(file: "sounds/bell.ogg"))
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        let started = try daemon.request(.start, session: "bell")
        #expect(started.ok, "\(started.error?.message ?? "")")
        let events = try SubscriptionTests.events(on: watcher, until: .finished)
        #expect(events.last?.event == .finished)
        #expect(events.allSatisfy { $0.status.audio?.ok == true })
        // start (2 × 150 ms), the bell (0.3 s + 100 ms gap), end (3 × 180 ms).
        let deadline = ContinuousClock.now + .seconds(5)
        var samples: [Int16] = []
        while ContinuousClock.now < deadline {
            samples = (try? ToneAnalysis.readRawS16LE(path: capture)) ?? []
            if ToneAnalysis.pitchSequence(samples, candidates: [523, 660, 784, 1200]).count >= 6 { break }
            usleep(20_000)
        }
        let pitches = ToneAnalysis.pitchSequence(samples, candidates: [523, 660, 784, 1200])
        #expect(pitches == [523, 784, 1200, 784, 660, 523], "\(pitches)")
        Self.expectBell(in: samples, samples: 14_400, hertz: 1200)
        #expect(samples.count == 14_400 + 14_400 + 4_800 + 25_920)
    }

    /// The file plugin writes cues back to back (silence between cues is never written):
    /// the bell follows the start cue (2 × 150 ms = 14,400 samples) at once, lasts exactly
    /// `count` samples at 48 kHz, then its 100 ms gap is silence.
    static func expectBell(in capture: [Int16], samples count: Int, hertz: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let start = 14_400
        guard capture.count >= start + count + 4_800 else {
            Issue.record("only \(capture.count) samples captured", sourceLocation: sourceLocation)
            return
        }
        let bell = capture[start..<start + count]
        #expect(abs(ToneAnalysis.dominantFrequency(of: bell, sampleRate: 48_000) - hertz) <= 2, sourceLocation: sourceLocation)
        #expect(ToneAnalysis.peak(of: bell[(start + count - 480)...]) > 4_000, "sound up to its last 10 ms", sourceLocation: sourceLocation)
        #expect(capture[start + count..<start + count + 4_800].allSatisfy { $0 == 0 }, "the gap is silence", sourceLocation: sourceLocation)
    }
}
