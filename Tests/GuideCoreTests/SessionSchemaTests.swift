import Foundation
import GuideTestSupport
import Testing
@testable import GuideCore

/// `Sessions/session.schema.json` is what editors validate against while a person types;
/// if it disagreed with the decoder, the editor would bless files the daemon rejects (or
/// flag good ones). Each document here goes through both, using Python's `jsonschema`.
@Suite struct SessionSchemaTests {
    private static let step = #"{"name": "A", "duration": 5}"#

    private static func doc(_ extra: String = "", steps: String = step) -> String {
        #"{"title": "T", \#(extra) "steps": [\#(steps)]}"#
    }

    private static func steps(_ count: Int) -> String {
        Array(repeating: #"{"name": "A", "duration": 1}"#, count: count).joined(separator: ",")
    }

    private static let tone = #"{"hz": 440, "ms": 50}"#

    /// Documents the decoder rejects for a reason a schema can express.
    static let invalid: [(String, String)] = [
        ("unknown step field", doc(steps: #"{"name": "A", "duraton": 45}"#)),
        ("unknown top-level field", #"{"title": "T", "tittle": "T", "steps": [\#(step)]}"#),
        ("$schema that is not a text", doc(#""$schema": 5,"#)),
        ("unknown cue", doc(#""cues": {"chime": [\#(tone)]},"#)),
        ("unknown tone field", doc(#""cues": {"step": [{"hz": 440, "ms": 50, "gap": 5}]},"#)),
        ("empty steps", doc(steps: "")),
        ("501 steps", doc(steps: steps(501))),
        ("zero duration", doc(steps: #"{"name": "A", "duration": 0}"#)),
        ("negative duration", doc(steps: #"{"name": "A", "duration": -5}"#)),
        ("half a second", doc(steps: #"{"name": "A", "duration": 0.5}"#)),
        ("over 4h in seconds", doc(steps: #"{"name": "A", "duration": 14401}"#)),
        ("\"90\"", doc(steps: #"{"name": "A", "duration": "90"}"#)),
        ("\"0s\"", doc(steps: #"{"name": "A", "duration": "0s"}"#)),
        ("\"0h0m\"", doc(steps: #"{"name": "A", "duration": "0h0m"}"#)),
        ("empty duration", doc(steps: #"{"name": "A", "duration": ""}"#)),
        ("\"1m30\"", doc(steps: #"{"name": "A", "duration": "1m30"}"#)),
        ("units out of order", doc(steps: #"{"name": "A", "duration": "30s1m"}"#)),
        ("ten digits", doc(steps: #"{"name": "A", "duration": "1234567890s"}"#)),
        ("trailing newline", doc(steps: #"{"name": "A", "duration": "90s\n"}"#)),
        ("duration as bool", doc(steps: #"{"name": "A", "duration": true}"#)),
        ("missing duration", doc(steps: #"{"name": "A"}"#)),
        ("missing name", doc(steps: #"{"duration": 5}"#)),
        ("bad round rest", doc(#""roundRest": "5x","#)),
        ("rounds 0", doc(#""rounds": 0,"#)),
        ("rounds 101", doc(#""rounds": 101,"#)),
        ("rounds 2.5", doc(#""rounds": 2.5,"#)),
        ("volume 1.5", doc(#""cues": {"volume": 1.5},"#)),
        ("hz 10", doc(#""cues": {"step": [{"hz": 10, "ms": 100}]},"#)),
        ("hz 20001", doc(#""cues": {"step": [{"hz": 20001, "ms": 100}]},"#)),
        ("ms 5", doc(#""cues": {"step": [{"hz": 440, "ms": 5}]},"#)),
        ("ms 2001", doc(#""cues": {"step": [{"hz": 440, "ms": 2001}]},"#)),
        ("gapMs -1", doc(#""cues": {"side": [{"hz": 440, "ms": 100, "gapMs": -1}]},"#)),
        ("volume -0.1", doc(#""cues": {"volume": -0.1},"#)),
        ("ms 10.5", doc(#""cues": {"step": [{"hz": 440, "ms": 10.5}]},"#)),
        ("gapMs 1001", doc(#""cues": {"side": [{"hz": 440, "ms": 100, "gapMs": 1001}]},"#)),
        ("tone without hz", doc(#""cues": {"rest": [{"ms": 100}]},"#)),
        ("no tones", doc(#""cues": {"end": []},"#)),
        ("nine tones", doc(#""cues": {"end": [\#(Array(repeating: tone, count: 9).joined(separator: ","))]},"#)),
        ("title is a number", #"{"title": 5, "steps": [\#(step)]}"#),
        ("blank title", #"{"title": "  ", "steps": [\#(step)]}"#),
        ("empty step name", doc(steps: #"{"name": "", "duration": 5}"#)),
        ("step name of tabs and newlines", doc(steps: #"{"name": "\t\n", "duration": 5}"#)),
        ("missing title", #"{"steps": [\#(step)]}"#),
        ("title of 201 characters", #"{"title": "\#(String(repeating: "x", count: 201))", "steps": [\#(step)]}"#),
        ("sides as text", doc(steps: #"{"name": "A", "duration": 5, "sides": "yes"}"#)),
        ("voice as text", doc(#""voice": "yes","#)),
        ("steps as object", #"{"title": "T", "steps": {}}"#),
        ("top level array", "[]"),
    ]

    /// Edge cases both must accept.
    static let valid: [(String, String)] = [
        ("minimal", #"{ "title": "Cooldown", "steps": [ { "name": "Child's pose", "duration": 45 } ] }"#),
        ("duration limits", doc(steps: #"{"name": "A", "duration": 1}, {"name": "B", "duration": "4h"}, {"name": "C", "duration": 14400}"#)),
        ("duration strings", doc(steps: #"{"name": "A", "duration": "007s"}, {"name": "B", "duration": "1h0m0s"}, {"name": "C", "duration": "1m30s"}"#)),
        ("range limits", doc(#""rounds": 100, "cues": {"volume": 0, "countdown": [{"hz": 20, "ms": 10, "gapMs": 0}, {"hz": 20000, "ms": 2000, "gapMs": 1000}]},"#, steps: #"{"name": "A", "duration": 1}"#)),
        ("whole numbers written as decimals", doc(#""rounds": 2.0, "cues": {"volume": 1, "step": [{"hz": 440.5, "ms": 100.0}]},"#)),
        ("eight tones", doc(#""cues": {"start": [\#(Array(repeating: tone, count: 8).joined(separator: ","))]},"#)),
        ("500 steps", doc(steps: steps(500))),
        ("$schema as a text", doc(#""$schema": "session.schema.json", "voice": false, "description": "", "caution": "","#)),
    ]

    @Test func theDecoderRejectsEveryInvalidAndAcceptsEveryValidDocument() {
        for (label, text) in Self.invalid { #expect(Fixtures.decodeError(text, file: "doc.json") != nil, "\(label)") }
        for (label, text) in Self.valid { #expect(Fixtures.decodeError(text, file: "doc.json") == nil, "\(label)") }
    }

    @Test func theSchemaAndTheDecoderAgree() throws {
        let bundled = try FileManager.default.contentsOfDirectory(atPath: Fixtures.sessionsDirectory)
            .filter { $0.hasSuffix(".json") && $0 != "session.schema.json" }.sorted()
        #expect(bundled.count == BundledSessionsTests.names.count)
        let files = try bundled.map { name in
            (name, try String(contentsOfFile: Fixtures.sessionsDirectory + "/" + name, encoding: .utf8))
        }
        let documents = files + Self.invalid + Self.valid
        guard let verdicts = try SchemaValidator.validate(documents.map(\.1)) else { return }
        try #require(verdicts.count == documents.count)
        for ((label, text), schemaAccepts) in zip(documents, verdicts) {
            let decoderError = Fixtures.decodeError(text, file: "doc.json")
            #expect(
                schemaAccepts == (decoderError == nil),
                "\(label): schema \(schemaAccepts ? "accepts" : "rejects"), decoder says \(decoderError ?? "ok")")
        }
    }
}

/// Runs Draft 2020-12 validation of `Sessions/session.schema.json` in `python3`.
enum SchemaValidator {
    private static let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        with open(sys.argv[1]) as f: schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        with open(sys.argv[2]) as f: documents = json.load(f)
        print(json.dumps([validator.is_valid(json.loads(d)) for d in documents]))
        """

    /// Whether the schema accepts each document; nil (with a recorded issue) when Python
    /// or its `jsonschema` module is missing.
    static func validate(_ documents: [String], schema: String = Fixtures.sessionsDirectory + "/session.schema.json") throws -> [Bool]? {
        let probe = try run(["-c", "import jsonschema"])
        guard probe.status == 0 else {
            Issue.record(
                "python3 with the jsonschema module is needed to check Sessions/session.schema.json: run `pip install jsonschema` (\(probe.error.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return nil
        }
        let dir = try TemporaryDirectory()
        let input = try dir.write("documents.json", bytes: Array(try JSONEncoder().encode(documents)))
        let result = try run(["-c", script, schema, input])
        guard result.status == 0 else {
            Issue.record("python3 failed: \(result.error)")
            return nil
        }
        return try JSONDecoder().decode([Bool].self, from: Data(result.output.utf8))
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let result = try CommandResult.run("/usr/bin/env", ["python3"] + arguments, environment: ProcessInfo.processInfo.environment)
        return (result.status, result.stdout, result.stderr)
    }
}
