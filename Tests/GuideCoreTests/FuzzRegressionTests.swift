import Foundation
import GuideTestSupport
import Testing

@testable import GuideCore

/// Replays the session fuzz target's inputs (Fuzz/run.sh session): every saved finding in
/// `Fuzz/regressions/session/` and every seed in `Fuzz/seeds/session/` goes through
/// ``FuzzOracle/checkSession(_:)``, the exact checks the fuzzer traps on.
@Suite struct SessionFuzzRegressionTests {
    static let packageRoot = FuzzCorpus.packageRoot
    static func inputs(_ directory: String) -> [String] { FuzzCorpus.inputs(directory) }
    static func bytes(_ path: String) throws -> [UInt8] { try FuzzCorpus.bytes(path) }

    @Test func seedCorpusIsThere() {
        #expect(Self.inputs("seeds/session").count >= 20)
        #expect(!Self.inputs("regressions/session").isEmpty)
    }

    @Test(arguments: inputs("regressions/session") + inputs("seeds/session"))
    func replay(_ path: String) throws {
        let outcome = FuzzOracle.checkSession(try Self.bytes(path))
        #expect(outcome.problems.isEmpty, "\(path): \(outcome.problems)")
        #expect((outcome.session == nil) != (outcome.error == nil))
        if path.contains("/bundled-"), path.hasSuffix(".json"), !path.hasSuffix(".schema.json") {
            #expect(outcome.session != nil, "\(path): \(outcome.error?.description ?? "")")
        }
    }

    /// Finding: an unknown key was copied raw into the error's path, so `"ti\ntle"` split the
    /// one-line error (and a log line) in two. Now such keys are quoted and escaped.
    @Test func unknownKeyWithControlCharacterIsQuoted() throws {
        let outcome = FuzzOracle.checkSession(try Self.bytes(Self.packageRoot + "/Fuzz/regressions/session/unknown-key-newline"))
        #expect(outcome.error?.location == #""ti\ntle""#)
        #expect(outcome.error?.message.hasPrefix("unknown field (did you mean \"title\"?") == true)
        // Plain keys keep the path people know.
        #expect(Fixtures.decodeError(#"{"title": "A", "steps": [{"name": "A", "duraton": 1}]}"#)?
            .hasPrefix("cooldown.json: steps[0].duraton: unknown field (did you mean \"duration\"?") == true)
    }

    /// Finding: the "did you mean" hint computed an edit-distance table of key × name for
    /// every known name, even when the lengths alone rule a name out; a 1 MiB unknown key
    /// took 27 s under the fuzzer's instrumentation (`Fuzz/regressions/session/unknown-key-100k`
    /// is the size the fuzzer reaches). Every hostile shape of a 1 MiB file must stay fast.
    @Test(arguments: HostileSession.allCases)
    func largeFileDecodesQuickly(_ shape: HostileSession) {
        let bytes = shape.bytes
        #expect(bytes.count <= Session.maximumFileSize)
        let clock = ContinuousClock()
        var outcome = FuzzOracle.SessionOutcome()
        let elapsed = clock.measure { outcome = FuzzOracle.checkSession(bytes) }
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect((outcome.session != nil) == (shape == .valid), "\(outcome.error?.description.prefix(200) ?? "")")
        // Release builds take under 0.4 s for each; the bound leaves room for a debug build
        // on a busy machine, while the 27 s of the quadratic-looking hint would still fail.
        #expect(elapsed < .seconds(5), "\(shape) took \(elapsed)")
    }
}

/// 1 MiB session files built to be slow: long keys, strings, numbers and arrays.
enum HostileSession: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case valid, unknownKey, unknownStepKey, longTitle, combiningTitle, escapes, manySteps, manyKeys
    case longNumber, longDuration, brackets, newlines

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
        let size = Session.maximumFileSize
        let text: String
        switch self {
        case .valid:
            let step = #"{"name": "S", "duration": 1, "instructions": "\#(String(repeating: "x", count: 1900))"}"#
            text = #"{"title": "T", "steps": [\#(Array(repeating: step, count: 500).joined(separator: ","))]}"#
        case .unknownKey: text = #"{""# + String(repeating: "x", count: size - 20) + #"": 1}"#
        case .unknownStepKey: text = #"{"title": "T", "steps": [{""# + String(repeating: "x", count: size - 40) + #"": 1}]}"#
        case .longTitle: text = #"{"title": ""# + String(repeating: "a", count: size - 40) + #"", "steps": []}"#
        case .combiningTitle: text = #"{"title": "a"# + String(repeating: "\u{301}", count: (size - 40) / 2) + #"", "steps": []}"#
        case .escapes: text = #"{"title": ""# + String(repeating: #"\u00e9"#, count: (size - 40) / 6) + #""}"#
        case .manySteps: text = #"{"title": "T", "steps": ["# + Array(repeating: "1", count: (size - 40) / 2).joined(separator: ",") + "]}"
        case .manyKeys: text = "{" + (0..<80_000).map { #""k\#($0)": 0"# }.joined(separator: ",") + "}"
        case .longNumber: text = #"{"title": "T", "rounds": "# + String(repeating: "1", count: size - 40) + "}"
        case .longDuration:
            text = #"{"title": "T", "steps": [{"name": "A", "duration": ""# + String(repeating: "0", count: size - 80) + #"1s"}]}"#
        case .brackets: text = String(repeating: "[", count: size)
        case .newlines: text = String(repeating: "\n", count: size - 1) + "x"
        }
        return Array(text.utf8)
    }
}
