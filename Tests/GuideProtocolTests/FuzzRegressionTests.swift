import Foundation
import GuideCore
import GuideTestSupport
import Testing

@testable import GuideProtocol

/// Replays the protocol fuzz target's inputs (Fuzz/run.sh protocol): every saved finding in
/// `Fuzz/regressions/protocol/` and every seed in `Fuzz/seeds/protocol/` goes through
/// ``FuzzOracle/checkProtocol(_:)`` — `LineFramer`, `Request.parse(line:)` and `WireCoding`,
/// with the same checks the fuzzer traps on.
@Suite struct ProtocolFuzzRegressionTests {
    static let packageRoot = FuzzCorpus.packageRoot
    static func inputs(_ directory: String) -> [String] { FuzzCorpus.inputs(directory) }
    static func bytes(_ path: String) throws -> [UInt8] { try FuzzCorpus.bytes(path) }

    @Test func seedCorpusIsThere() {
        #expect(Self.inputs("seeds/protocol").count >= 20)
        #expect(!Self.inputs("regressions/protocol").isEmpty)
    }

    @Test(arguments: inputs("regressions/protocol") + inputs("seeds/protocol"))
    func replay(_ path: String) throws {
        let outcome = FuzzOracle.checkProtocol(try Self.bytes(path))
        #expect(outcome.problems.isEmpty, "\(path): \(outcome.problems)")
        let name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasPrefix("valid-") {
            #expect(outcome.lines == 1 && outcome.accepted == 2 && outcome.rejected == 0, "\(name)")
        }
        if name.hasPrefix("too-long") {
            #expect(outcome.tooLong, "\(name)")
        }
    }

    /// Finding: the "did you mean" hint for an unknown command built a full edit-distance
    /// table of the command × every command name; a 64 KiB command name took 5 s under the
    /// fuzzer's instrumentation, past its timeout (`Fuzz/regressions/protocol/unknown-command-64k`).
    @Test func longUnknownCommandIsAnsweredQuickly() throws {
        let line = try Self.bytes(Self.packageRoot + "/Fuzz/regressions/protocol/unknown-command-64k").dropLast()
        let clock = ContinuousClock()
        var result: Result<Request, RequestParseError>?
        let elapsed = clock.measure { result = Request.parse(line: line) }
        guard case .failure(let failure)? = result else {
            Issue.record("a 64 KiB command name was accepted")
            return
        }
        #expect(failure.error.code == .unknownCommand)
        #expect(!failure.error.message.contains("did you mean"))
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        // Short typos still get their hint.
        guard case .failure(let typo) = Request.parse(line: Array(#"{"command": "stauts"}"#.utf8)) else {
            Issue.record("a typo was accepted")
            return
        }
        #expect(typo.error.message.contains("did you mean \"status\"?"))
    }

    /// Lines at the 64 KiB cap in the shapes that cost the most: each must be framed, parsed
    /// and answered well under a second.
    @Test(arguments: ["command", "field", "id", "number", "brackets", "combining", "lines"])
    func lineAtTheCapIsQuick(_ shape: String) {
        let room = LineFramer.maximumLineLength - 40
        let line: String
        switch shape {
        case "command": line = #"{"command": ""# + String(repeating: "x", count: room) + #""}"#
        case "field": line = #"{"command": "status", ""# + String(repeating: "x", count: room) + #"": 1}"#
        case "id": line = #"{"command": "status", "id": ""# + String(repeating: "x", count: room) + #""}"#
        case "number": line = #"{"command": "status", "id": "# + String(repeating: "1", count: room) + "}"
        case "brackets": line = String(repeating: "[", count: room)
        case "combining": line = #"{"command": "show", "session": "a"# + String(repeating: "\u{301}", count: room / 2) + #""}"#
        default: line = Array(repeating: #"{"command":"status"}"#, count: 3000).joined(separator: "\n")
        }
        let bytes = Array(line.utf8) + [0x0A]
        let clock = ContinuousClock()
        var outcome = FuzzOracle.ProtocolOutcome()
        let elapsed = clock.measure { outcome = FuzzOracle.checkProtocol(bytes) }
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(!outcome.tooLong)
        #expect(elapsed < .seconds(2), "\(shape) took \(elapsed)")
    }
}
