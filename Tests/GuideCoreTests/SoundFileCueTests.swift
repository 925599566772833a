import Foundation
import GuideTestSupport
import Testing
@testable import GuideCore

/// Cue entries that name a sound file (`{"file": "sounds/bell.wav", "gapMs": 100}`): read
/// and decoded when the session is loaded, relative to the session file, with one-line
/// errors for a missing, unreadable, undecodable or too long file.
@Suite struct SoundFileCueTests {
    static func session(step entries: String) -> String {
        #"{"title": "Bell", "cues": {"step": [\#(entries)]}, "steps": [{"name": "A", "duration": 5}]}"#
    }

    /// Loads `text` as `bell.json` in `dir` and returns its step cue, or the error line.
    static func stepCue(_ text: String, in dir: TemporaryDirectory) throws -> Result<[CuePart], SessionError> {
        let path = try dir.write("bell.json", text)
        return Result { () throws(SessionError) in try SessionFile.read(path: path).sounds.parts(for: .step) }
    }

    @Test("a 44.1 kHz stereo WAV next to the session: mono at its own rate, channels averaged")
    func stereoWAV() throws {
        let dir = try TemporaryDirectory()
        try dir.makeDirectory("sounds")
        try SoundFileMaker.sine(dir.path + "/sounds/bell.wav", hertz: 1000, seconds: 0.5, sampleRate: 44_100, channels: 2, silentRight: true)
        let parts = try Self.stepCue(Self.session(step: #"{"file": "sounds/bell.wav", "gapMs": 100}"#), in: dir).get()
        guard case .file(let clip) = try #require(parts.first) else {
            Issue.record("expected a sound file, got \(parts)")
            return
        }
        #expect(parts.count == 1)
        #expect(clip.path == "sounds/bell.wav")
        #expect(clip.sampleRate == 44_100)
        #expect(clip.channels == 2)
        #expect(clip.gapMilliseconds == 100)
        #expect(clip.samples.count == 22_050)
        #expect(clip.duration == .milliseconds(500))
        #expect(abs(ToneAnalysis.dominantFrequency(of: clip.samples, sampleRate: 44_100) - 1000) <= 2)
        // The left channel at half scale, the right silent: the average is a quarter.
        let peak = Double(ToneAnalysis.peak(of: clip.samples)) / 32767
        #expect(abs(peak - 0.25) < 0.01, "peak \(peak)")
    }

    @Test("FLAC and Ogg Vorbis decode too, mixed in one cue with a tone")
    func flacAndVorbis() throws {
        let dir = try TemporaryDirectory()
        try SoundFileMaker.sine(dir.path + "/low.flac", hertz: 700, seconds: 0.3, sampleRate: 96_000)
        try SoundFileMaker.sine(dir.path + "/high.ogg", hertz: 1500, seconds: 0.4, sampleRate: 22_050, channels: 2)
        let parts = try Self.stepCue(
            Self.session(step: #"{"file": "low.flac"}, {"hz": 880, "ms": 100, "gapMs": 50}, {"file": "\#(dir.path)/high.ogg"}"#), in: dir
        ).get()
        try #require(parts.count == 3)
        guard case .file(let flac) = parts[0], case .file(let vorbis) = parts[2] else {
            Issue.record("expected sound files around the tone: \(parts)")
            return
        }
        #expect(parts[1] == .tone(Tone(frequency: 880, milliseconds: 100, gapMilliseconds: 50)))
        #expect(flac.sampleRate == 96_000)
        #expect(flac.samples.count == 28_800)
        #expect(abs(ToneAnalysis.dominantFrequency(of: flac.samples, sampleRate: 96_000) - 700) <= 2)
        #expect(vorbis.sampleRate == 22_050)
        #expect(vorbis.channels == 2)
        #expect(abs(vorbis.samples.count - 8_820) <= 1)
        #expect(abs(ToneAnalysis.dominantFrequency(of: vorbis.samples, sampleRate: 22_050) - 1500) <= 3)
    }

    @Test("a missing, undecodable, too long, empty or non-file sound: one line naming the entry")
    func errors() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.wav", "this is not a sound\n")
        try dir.makeDirectory("sounds.d")
        try SoundFileMaker.sine(dir.path + "/long.wav", hertz: 500, seconds: 10.05, sampleRate: 8_000)
        try SoundFileMaker.sine(dir.path + "/ten.wav", hertz: 500, seconds: 10, sampleRate: 8_000)
        try SoundFileMaker.sox(["-n", "-r", "8000", "-c", "1", dir.path + "/empty.wav", "trim", "0", "0"])
        let cases: [(String, String)] = [
            (#"{"file": "sounds/bell.wav"}"#, #"cues.step[0].file: cannot read "sounds/bell.wav": No such file or directory"#),
            (
                #"{"file": "bad.wav"}"#,
                #"cues.step[0].file: cannot decode "bad.wav": Format not recognised (use a WAV, FLAC or Ogg Vorbis file)"#
            ),
            (
                #"{"hz": 440, "ms": 50}, {"file": "long.wav"}"#,
                #"cues.step[1].file: "long.wav" lasts 10.1 s; a cue sound may last at most 10 s (shorten it, e.g. sox IN OUT trim 0 10)"#
            ),
            (#"{"file": "empty.wav"}"#, #"cues.step[0].file: "empty.wav" holds no sound (0 samples)"#),
            (#"{"file": "sounds.d"}"#, #"cues.step[0].file: "sounds.d" is a directory, not a sound file"#),
            (
                #"{"file": "/dev/null"}"#,
                #"cues.step[0].file: "/dev/null" is not a regular file (a cue sound must be a plain WAV, FLAC or Ogg Vorbis file)"#
            ),
            (#"{"file": "  "}"#, "cues.step[0].file: is empty (write a short text)"),
            (#"{"file": 5}"#, "cues.step[0].file: 5 is not a text (use \"…\")"),
            (#"{"file": "ten.wav", "ms": 5}"#, "cues.step[0].ms: unknown field (known fields here: file, gapMs)"),
            (#"{"file": "ten.wav", "gapMs": 1001}"#, "cues.step[0].gapMs: 1001 is out of range (use a whole number from 0 to 1000)"),
            (#"{"fiel": "ten.wav"}"#, #"cues.step[0].fiel: unknown field (did you mean "file"? known fields here: hz, ms, gapMs, file)"#),
        ]
        for (entries, expected) in cases {
            switch try Self.stepCue(Self.session(step: entries), in: dir) {
            case .success(let parts): Issue.record("\(entries) loaded: \(parts)")
            case .failure(let error): #expect(error.description == "bell.json: " + expected)
            }
        }
        // Exactly 10 s is allowed.
        #expect(throws: Never.self) { try Self.stepCue(Self.session(step: #"{"file": "ten.wav"}"#), in: dir).get() }
    }

    @Test("a sound file that cannot be opened: the system's reason (here a symlink loop, which fails even for root)")
    func unreadable() throws {
        let dir = try TemporaryDirectory()
        try dir.symlink("loop.wav", to: "loop.wav")
        let result = try Self.stepCue(Self.session(step: #"{"file": "loop.wav"}"#), in: dir)
        #expect(throws: SessionError(file: "bell.json", location: "cues.step[0].file", message: #"cannot read "loop.wav": Too many levels of symbolic links"#)) {
            try result.get()
        }
    }

    @Test("paths: relative to the session file's directory, absolute as written, ~/ under HOME")
    func pathResolution() {
        #expect(SoundFileReader.resolve("sounds/bell.wav", relativeTo: "/s/dir", home: "/home/a") == "/s/dir/sounds/bell.wav")
        #expect(SoundFileReader.resolve("bell.wav", relativeTo: ".", home: nil) == "./bell.wav")
        #expect(SoundFileReader.resolve("/opt/bell.wav", relativeTo: "/s", home: "/home/a") == "/opt/bell.wav")
        #expect(SoundFileReader.resolve("~/bell.wav", relativeTo: "/s", home: "/home/a") == "/home/a/bell.wav")
        #expect(SoundFileReader.resolve("~/bell.wav", relativeTo: "/s", home: nil) == nil)
        #expect(SoundFileReader.resolve("~bob/bell.wav", relativeTo: "/s", home: "/home/a") == nil)
        #expect(SessionDecoder.directory(of: "/s/dir/x.json") == "/s/dir")
        #expect(SessionDecoder.directory(of: "x.json") == ".")
        #expect(SessionDecoder.directory(of: "/x.json") == "/")
    }

    @Test("a sound file that breaks after loading: reload keeps the previous version and says why")
    func reloadKeepsPreviousVersion() throws {
        let dir = try TemporaryDirectory()
        try dir.makeDirectory("sessions/sounds")
        try SoundFileMaker.sine(dir.path + "/sessions/sounds/bell.wav", hertz: 1000, seconds: 0.2, sampleRate: 48_000)
        try dir.write("sessions/bell.json", Self.session(step: #"{"file": "sounds/bell.wav"}"#))
        let directories = [dir.path + "/sessions"]
        let first = SessionLibrary.load(directories: directories)
        let loaded = try #require(first.session(named: "bell"))
        #expect(first.errors.isEmpty)

        try dir.write("sessions/sounds/bell.wav", "broken\n")
        let second = first.reloaded(directories: directories)
        #expect(second.session(named: "bell") == loaded)
        let error = try #require(second.errors.first)
        #expect(error.keptPreviousVersion)
        #expect(error.message == #"bell.json: cues.step[0].file: cannot decode "sounds/bell.wav": Format not recognised (use a WAV, FLAC or Ogg Vorbis file)"#)

        try dir.remove("sessions/sounds/bell.wav")
        let third = second.reloaded(directories: directories)
        #expect(third.session(named: "bell") == loaded)
        #expect(third.errors.first?.message == #"bell.json: cues.step[0].file: cannot read "sounds/bell.wav": No such file or directory"#)

        try SoundFileMaker.sine(dir.path + "/sessions/sounds/bell.wav", hertz: 600, seconds: 0.2, sampleRate: 48_000)
        let fourth = third.reloaded(directories: directories)
        #expect(fourth.errors.isEmpty)
        guard case .file(let clip)? = fourth.session(named: "bell")?.session.sounds.parts(for: .step).first else {
            Issue.record("the fixed file did not load")
            return
        }
        #expect(abs(ToneAnalysis.dominantFrequency(of: clip.samples, sampleRate: 48_000) - 600) <= 2)
    }

    @Test("the schema accepts a sound file entry and rejects a mixed-up one, as the decoder does")
    func schema() throws {
        let dir = try TemporaryDirectory()
        let bell = try SoundFileMaker.sine(dir.path + "/bell.wav", hertz: 1000, seconds: 0.1, sampleRate: 48_000)
        let documents = [
            (Self.session(step: #"{"file": "\#(bell)", "gapMs": 100}, {"hz": 440, "ms": 50}"#), true),
            (Self.session(step: #"{"file": "\#(bell)", "hz": 440}"#), false),
            (Self.session(step: #"{"file": ""}"#), false),
            (Self.session(step: #"{"file": "\#(bell)", "gapMs": -1}"#), false),
        ]
        guard let verdicts = try SchemaValidator.validate(documents.map(\.0)) else { return }
        for ((text, valid), schemaAccepts) in zip(documents, verdicts) {
            #expect(schemaAccepts == valid, "schema: \(text)")
            #expect((Fixtures.decodeError(text, file: "doc.json") == nil) == valid, "decoder: \(text)")
        }
    }
}
