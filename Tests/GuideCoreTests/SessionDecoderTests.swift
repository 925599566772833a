import Testing
@testable import GuideCore

/// Every rule of docs/session-format.md, each with the exact line a person would see: the file, the
/// JSON path, what was found and what to write instead.
@Suite struct SessionDecoderTests {
    private let error = Fixtures.decodeError

    /// A session whose steps are `steps` (JSON text of the array's members).
    private func session(steps: String, extra: String = "") -> String {
        #"{"title": "Cooldown", \#(extra) "steps": [\#(steps)]}"#
    }

    @Test func decodesEveryField() throws {
        let json = """
            {
              "$schema": "session.schema.json",
              "title": "Cooldown",
              "description": "Gentle.",
              "caution": "Start slowly.",
              "rounds": 2,
              "roundRest": "1m",
              "voice": true,
              "cues": {"volume": 0.5, "step": [{"hz": 1000, "ms": 100, "gapMs": 20}, {"hz": 500.5, "ms": 50}]},
              "steps": [
                {"name": "Child's pose", "duration": 45, "instructions": "Sit back."},
                {"name": "Twist", "duration": "1m30s", "sides": true},
                {"name": "Breathe", "duration": 2.5, "rest": true}
              ]
            }
            """
        let s = try SessionDecoder.decode(Array(json.utf8), fileName: "/some/dir/cooldown.json")
        #expect(s.name == "cooldown")
        #expect(s.title == "Cooldown")
        #expect(s.description == "Gentle.")
        #expect(s.caution == "Start slowly.")
        #expect(s.rounds == 2)
        #expect(s.roundRest == .seconds(60))
        #expect(s.voice == true)
        #expect(s.hasOwnVolume)
        #expect(s.sounds.volume == 0.5)
        #expect(
            s.sounds.parts(for: .step)
                == [.tone(Tone(frequency: 1000, milliseconds: 100, gapMilliseconds: 20)), .tone(Tone(frequency: 500.5, milliseconds: 50))])
        #expect(s.sounds.parts(for: .end) == CueSounds.standard.parts(for: .end))
        #expect(
            s.steps == [
                Step(name: "Child's pose", duration: .seconds(45), instructions: "Sit back."),
                Step(name: "Twist", duration: .seconds(90), sides: true),
                Step(name: "Breathe", duration: .milliseconds(2500), rest: true),
            ])
    }

    @Test func theMinimalFileOfTheDesignDecodesWithDefaults() throws {
        let s = try SessionDecoder.decode(
            Array(#"{ "title": "Cooldown", "steps": [ { "name": "Child's pose", "duration": 45 } ] }"#.utf8),
            fileName: "cooldown.json")
        #expect(s.rounds == 1)
        #expect(s.roundRest == nil)
        #expect(s.voice == nil)
        #expect(!s.hasOwnVolume)
        #expect(s.sounds == .standard)
        #expect(s.steps == [Step(name: "Child's pose", duration: .seconds(45))])
    }

    // MARK: - Durations

    @Test func theDesignExampleOfABadDuration() {
        let steps = (0..<3).map { #"{"name": "S\#($0)", "duration": 30}"# } + [#"{"name": "S3", "duration": "90"}"#]
        #expect(
            error(session(steps: steps.joined(separator: ", ")), "cooldown.json")
                == #"cooldown.json: steps[3].duration: "90" is not a duration (use 90, "90s" or "1m30s")"#)
    }

    @Test(arguments: [
        ("0", #"steps[0].duration: 0 must be positive (a duration from 1s to 4h is allowed)"#),
        ("-5", #"steps[0].duration: -5 must be positive (a duration from 1s to 4h is allowed)"#),
        (#""0s""#, #"steps[0].duration: "0s" must be positive (a duration from 1s to 4h is allowed)"#),
        ("0.5", #"steps[0].duration: 0.5 is out of range (a duration from 1s to 4h is allowed)"#),
        (#""4h1s""#, #"steps[0].duration: "4h1s" is out of range (a duration from 1s to 4h is allowed)"#),
        ("14401", #"steps[0].duration: 14401 is out of range (a duration from 1s to 4h is allowed)"#),
        (#""1m30""#, #"steps[0].duration: "1m30" is not a duration (use 90, "90s" or "1m30s")"#),
        (#""""#, #"steps[0].duration: "" is not a duration (use 90, "90s" or "1m30s")"#),
        ("true", #"steps[0].duration: true is not a duration (use 90, "90s" or "1m30s")"#),
        ("null", #"steps[0].duration: null is not a duration (use 90, "90s" or "1m30s")"#),
        ("[45]", #"steps[0].duration: an array is not a duration (use 90, "90s" or "1m30s")"#),
    ])
    func rejectsBadStepDurations(duration: String, message: String) {
        #expect(error(session(steps: #"{"name": "A", "duration": \#(duration)}"#), "cooldown.json") == "cooldown.json: " + message)
    }

    @Test func acceptsTheDurationLimitsExactly() {
        #expect(error(session(steps: #"{"name": "A", "duration": 1}"#), "cooldown.json") == nil)
        #expect(error(session(steps: #"{"name": "A", "duration": "4h"}"#), "cooldown.json") == nil)
    }

    @Test func rejectsABadRoundRest() {
        #expect(
            error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""roundRest": "5x","#), "cooldown.json")
                == #"cooldown.json: roundRest: "5x" is not a duration (use 90, "90s" or "1m30s")"#)
    }

    @Test func aMissingDurationSaysWhatToWrite() {
        #expect(
            error(session(steps: #"{"name": "A"}"#), "cooldown.json")
                == #"cooldown.json: steps[0].duration: is missing; every step needs a duration (use 90, "90s" or "1m30s")"#)
    }

    @Test func rejectsASessionLongerThanTwelveHours() {
        let fourHours = Array(repeating: #"{"name": "Long", "duration": "4h"}"#, count: 4).joined(separator: ",")
        #expect(
            error(session(steps: fourHours), "cooldown.json")
                == "cooldown.json: steps: the whole session lasts 16h; at most 12h is allowed (fewer steps, rounds or shorter durations)")
        // Sides, rounds and round rests all count: (2 × 2h + 1h) × 2 + 3h = 13h.
        let mixed = session(
            steps: #"{"name": "A", "duration": "2h", "sides": true}, {"name": "B", "duration": "1h"}"#,
            extra: #""rounds": 2, "roundRest": "3h","#)
        #expect(
            error(mixed, "cooldown.json")
                == "cooldown.json: steps: the whole session lasts 13h; at most 12h is allowed (fewer steps, rounds or shorter durations)")
        let exactlyTwelve = session(steps: #"{"name": "A", "duration": "4h"}"#, extra: #""rounds": 3,"#)
        #expect(error(exactlyTwelve, "cooldown.json") == nil)
    }

    // MARK: - Structure

    @Test func unknownFieldsAreErrorsWithAHint() {
        #expect(
            error(session(steps: #"{"name": "A", "duraton": 45}"#), "cooldown.json")
                == #"cooldown.json: steps[0].duraton: unknown field (did you mean "duration"? known fields here: name, duration, instructions, sides, rest)"#)
        #expect(
            error(#"{"title": "T", "tittle": "T", "steps": []}"#, "cooldown.json")
                == #"cooldown.json: tittle: unknown field (did you mean "title"? known fields here: title, description, caution, rounds, roundRest, voice, onSuspend, cues, steps, $schema)"#)
        #expect(
            error(#"{"colour": "red"}"#, "cooldown.json")
                == "cooldown.json: colour: unknown field (known fields here: title, description, caution, rounds, roundRest, voice, onSuspend, cues, steps, $schema)")
        #expect(
            error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""cues": {"chime": []},"#), "cooldown.json")
                == "cooldown.json: cues.chime: unknown field (known fields here: volume, start, step, rest, side, countdown, end)")
        #expect(
            error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""cues": {"sides": []},"#), "cooldown.json")
                == #"cooldown.json: cues.sides: unknown field (did you mean "side"? known fields here: volume, start, step, rest, side, countdown, end)"#)
        #expect(
            error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""cues": {"step": [{"hz": 440, "ms": 100, "gap": 5}]},"#), "cooldown.json")
                == "cooldown.json: cues.step[0].gap: unknown field (did you mean \"gapMs\"? known fields here: hz, ms, gapMs, file)")
    }

    @Test func stepsMustBeANonEmptyListOfAtMost500() {
        #expect(error(session(steps: ""), "cooldown.json") == "cooldown.json: steps: is empty; a session needs at least one step")
        #expect(error(#"{"title": "T"}"#, "cooldown.json") == "cooldown.json: steps: is missing; a session needs at least one step")
        #expect(
            error(#"{"title": "T", "steps": {}}"#, "cooldown.json")
                == #"cooldown.json: steps: an object is not a list of steps (use [ {"name": …, "duration": …} ])"#)
        let many = Array(repeating: #"{"name": "A", "duration": 1}"#, count: 501).joined(separator: ",")
        #expect(error(session(steps: many), "cooldown.json") == "cooldown.json: steps: has 501 steps; at most 500 are allowed")
        let most = Array(repeating: #"{"name": "A", "duration": 1}"#, count: 500).joined(separator: ",")
        #expect(error(session(steps: most), "cooldown.json") == nil)
    }

    @Test(arguments: [
        (#"[]"#, "(top level): an array is not an object (use { … })"),
        (#"{"title": 5, "steps": []}"#, #"title: 5 is not a text (use "…")"#),
        (#"{"title": "  ", "steps": []}"#, "title: is empty (write a short text)"),
        (#"{"steps": []}"#, "title: is missing (a text is required)"),
        (#"{"title": "T", "caution": false, "steps": []}"#, "caution: false is not a text (use \"…\")"),
        (#"{"title": "T", "voice": "yes", "steps": []}"#, #"voice: "yes" is not true or false"#),
        (#"{"title": "T", "rounds": "2", "steps": []}"#, #"rounds: "2" is not a whole number (use a whole number from 1 to 100)"#),
        (#"{"title": "T", "cues": [], "steps": []}"#, "cues: an array is not an object (use { … })"),
        (#"{"title": "T", "steps": ["Stretch"]}"#, #"steps[0]: "Stretch" is not an object (use { … })"#),
        (#"{"title": "T", "steps": [{"name": "A", "duration": 5, "sides": "yes"}]}"#, #"steps[0].sides: "yes" is not true or false"#),
        (#"{"title": "T", "steps": [{"name": "A", "duration": 5, "rest": 1}]}"#, "steps[0].rest: 1 is not true or false"),
        (#"{"title": "T", "steps": [{"name": null, "duration": 5}]}"#, #"steps[0].name: null is not a text (use "…")"#),
        (#"{"title": "T", "steps": [{"duration": 5}]}"#, "steps[0].name: is missing (a text is required)"),
        (#"{"title": "T", "steps": [{"name": "A", "duration": 5, "instructions": ["a"]}]}"#, #"steps[0].instructions: an array is not a text (use "…")"#),
    ])
    func rejectsWrongTypes(json: String, message: String) {
        #expect(error(json, "cooldown.json") == "cooldown.json: " + message)
    }

    @Test func limitsTextLengths() {
        let long = String(repeating: "x", count: 201)
        #expect(
            error(#"{"title": "\#(long)", "steps": []}"#, "cooldown.json")
                == "cooldown.json: title: is 201 characters long; at most 200 are allowed")
        #expect(
            error(session(steps: #"{"name": "\#(long)", "duration": 5}"#), "cooldown.json")
                == "cooldown.json: steps[0].name: is 201 characters long; at most 200 are allowed")
    }

    // MARK: - Ranges

    @Test(arguments: [
        (#""rounds": 0,"#, "rounds: 0 is out of range (use a whole number from 1 to 100)"),
        (#""rounds": 101,"#, "rounds: 101 is out of range (use a whole number from 1 to 100)"),
        (#""rounds": 2.5,"#, "rounds: 2.5 is not a whole number (use a whole number from 1 to 100)"),
        (#""cues": {"volume": 1.5},"#, "cues.volume: 1.5 is out of range (use a number from 0 to 1)"),
        (#""cues": {"volume": -0.1},"#, "cues.volume: -0.1 is out of range (use a number from 0 to 1)"),
        (#""cues": {"volume": "loud"},"#, #"cues.volume: "loud" is not a number (use a number from 0 to 1)"#),
        (#""cues": {"step": [{"hz": 10, "ms": 100}]},"#, "cues.step[0].hz: 10 is out of range (use a number from 20 to 20000)"),
        (#""cues": {"step": [{"hz": 20001, "ms": 100}]},"#, "cues.step[0].hz: 20001 is out of range (use a number from 20 to 20000)"),
        (#""cues": {"end": [{"hz": 440, "ms": 100}, {"hz": 440, "ms": 5}]},"#, "cues.end[1].ms: 5 is out of range (use a whole number from 10 to 2000)"),
        (#""cues": {"end": [{"hz": 440, "ms": 2001}]},"#, "cues.end[0].ms: 2001 is out of range (use a whole number from 10 to 2000)"),
        (#""cues": {"end": [{"hz": 440, "ms": 10.5}]},"#, "cues.end[0].ms: 10.5 is not a whole number (use a whole number from 10 to 2000)"),
        (#""cues": {"side": [{"hz": 440, "ms": 100, "gapMs": 1001}]},"#, "cues.side[0].gapMs: 1001 is out of range (use a whole number from 0 to 1000)"),
        (#""cues": {"side": [{"hz": 440, "ms": 100, "gapMs": -1}]},"#, "cues.side[0].gapMs: -1 is out of range (use a whole number from 0 to 1000)"),
        (#""cues": {"rest": [{"ms": 100}]},"#, "cues.rest[0].hz: is missing (a number is required)"),
        (#""cues": {"rest": [{"hz": 440}]},"#, "cues.rest[0].ms: is missing (a whole number is required)"),
    ])
    func rejectsOutOfRangeValues(extra: String, message: String) {
        #expect(error(session(steps: #"{"name": "A", "duration": 5}"#, extra: extra), "cooldown.json") == "cooldown.json: " + message)
    }

    @Test func acceptsTheRangeLimitsExactly() {
        let extra = #""rounds": 100, "cues": {"volume": 0, "countdown": [{"hz": 20, "ms": 10, "gapMs": 0}, {"hz": 20000, "ms": 2000, "gapMs": 1000}]},"#
        #expect(error(session(steps: #"{"name": "A", "duration": 5}"#, extra: extra), "cooldown.json") == nil)
    }

    @Test func aCueHoldsOneToEightTones() {
        let tone = #"{"hz": 440, "ms": 50}"#
        let eight = Array(repeating: tone, count: 8).joined(separator: ",")
        #expect(error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""cues": {"start": [\#(eight)]},"#), "cooldown.json") == nil)
        let cases = [
            ("[]", "cooldown.json: cues.start: has 0 entries; use 1 to 8 tones or sound files"),
            ("[\(eight), \(tone)]", "cooldown.json: cues.start: has 9 entries; use 1 to 8 tones or sound files"),
            (
                "\"beep\"",
                #"cooldown.json: cues.start: "beep" is not a list of 1 to 8 tones or sound files (use [{"hz": 880, "ms": 200}] or [{"file": "bell.wav"}])"#
            ),
        ]
        for (list, expected) in cases {
            let message = error(session(steps: #"{"name": "A", "duration": 5}"#, extra: #""cues": {"start": \#(list)},"#), "cooldown.json")
            #expect(message == expected)
        }
    }

    // MARK: - The file itself

    @Test func theFileStemMustBeAValidSessionName() {
        let body = session(steps: #"{"name": "A", "duration": 5}"#)
        let rule = "(use 1–64 lowercase letters, digits and '-', starting with a letter or digit); rename the file"
        #expect(error(body, "Cool Down.json") == #"Cool Down.json: "Cool Down" is not a valid session name \#(rule)"#)
        #expect(error(body, "/x/-cooldown.json") == #"-cooldown.json: "-cooldown" is not a valid session name \#(rule)"#)
        #expect(error(body, String(repeating: "a", count: 65) + ".json")?.hasSuffix(rule) == true)
        #expect(error(body, String(repeating: "a", count: 64) + ".json") == nil)
        #expect(error(body, "2-minute-reset.json") == nil)
    }

    @Test func rejectsAFileOverOneMebibyteBeforeParsing() {
        let tooBig = [UInt8](repeating: UInt8(ascii: " "), count: Session.maximumFileSize + 1)
        #expect(throws: SessionError(file: "big.json", location: "", message: "file is 1048577 bytes; a session file may be at most 1 MiB (1048576 bytes)")) {
            try SessionDecoder.decode(tooBig, fileName: "big.json")
        }
    }

    @Test func syntaxErrorsNameTheLineAndColumn() {
        let missingComma = "{\n  \"title\": \"Cooldown\"\n  \"steps\": []\n}"
        #expect(error(missingComma, "cooldown.json") == #"cooldown.json: line 3, column 3: unexpected '"', expected ',' or '}'"#)
        let trailingComma = "{\n  \"title\": \"T\",\n  \"steps\": [\n    {\"name\": \"A\", \"duration\": 45},\n  ]\n}"
        #expect(error(trailingComma, "cooldown.json") == "cooldown.json: line 5, column 3: trailing comma before ']'")
        #expect(error(#"{"title": "Cooldown}"#, "cooldown.json") == "cooldown.json: line 1, column 21: unterminated string")
        let openLine = "{\n  \"title\": \"Cooldown,\n  \"steps\": []\n}"
        #expect(
            error(openLine, "cooldown.json")
                == #"cooldown.json: line 2, column 22: control character in a string (write \n, \t or \u00XX)"#)
        #expect(
            error(#"{"title": "A", "title": "B", "steps": []}"#, "cooldown.json")
                == #"cooldown.json: line 1, column 16: field "title" appears twice"#)
    }

    @Test func invalidUTF8NamesTheByteAndWhereItIs() {
        var bytes = Array("{\n  \"title\": \"Caf".utf8)
        bytes.append(0xE9)  // Latin-1 é
        bytes += Array("\", \"steps\": []}".utf8)
        #expect(throws: SessionError(file: "cooldown.json", location: "line 2, column 16", message: "invalid UTF-8 (byte 0xE9 at offset 17); save the file as UTF-8")) {
            try SessionDecoder.decode(bytes, fileName: "cooldown.json")
        }
    }

    @Test func deepNestingIsAClearErrorNotACrash() {
        let deep = #"{"title": "T", "steps": "# + String(repeating: "[", count: 10_000)
        #expect(error(deep, "cooldown.json") == "cooldown.json: line 1, column 88: nested deeper than 64 levels")
    }
}
