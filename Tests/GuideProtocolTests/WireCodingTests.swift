import Foundation
@testable import GuideCore
import Testing

@testable import GuideProtocol

/// The client's own JSON paths (a hand-written request encoder, a decoder on GuideCore's
/// parser) against Foundation's `JSONEncoder` and `JSONDecoder`, which they replace in
/// guidectl and which the daemon still uses to write replies.
@Suite struct WireCodingTests {
    static func foundationLine<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }

    /// `WireCoding.encodeLine` as called where the type is generic (`JSONEncoder`).
    static func genericLine<T: Encodable>(_ value: T) -> [UInt8] { WireCoding.encodeLine(value) }

    static let awkwardStrings: [String] = [
        "", "cooldown", "a/b", "quote\"d", "back\\slash", "tab\there", "new\nline", "cr\rlf\n", "\u{08}\u{0C}",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F}del", "é ü 😀 \u{2028}\u{2029}\u{FEFF}",
        "{\"command\":\"stop\"}", "</script>",
    ]

    static var requests: [Request] {
        var all: [Request] = []
        for command in Command.allCases {
            all.append(Request(command: command))
            all.append(Request(id: .number(1), command: command))
        }
        for text in awkwardStrings {
            all.append(Request(id: .string(text), command: .start, session: text, replace: true))
            all.append(Request(command: .show, session: text))
        }
        for id in [Int64.min, -1, 0, 42, 9_007_199_254_740_993, Int64.max] {
            all.append(Request(id: .number(id), command: .history, limit: 100_000))
        }
        all.append(Request(id: .number(7), command: .start, session: "cooldown", replace: false, limit: 3))
        all.append(Request(command: .history, limit: 1))
        return all
    }

    @Test func requestLinesAreByteForByteJSONEncoders() throws {
        for request in Self.requests {
            let ours = WireCoding.encodeLine(request)
            let theirs = try Self.foundationLine(request)
            #expect(ours == theirs, "\(String(decoding: ours, as: UTF8.self)) vs \(String(decoding: theirs, as: UTF8.self))")
            // And the generic path (used when the type is not known statically) agrees.
            #expect(Self.genericLine(request) == theirs)
        }
    }

    @Test func requestLinesParseBackToTheRequest() throws {
        for request in Self.requests where !(request.command.needsSession && request.session == nil) && request.id.map({ if case .number(let n) = $0 { abs(Double(n)) < 9e15 } else { true } }) ?? true {
            let line = WireCoding.encodeLine(request)
            #expect(try Request.parse(line: line.dropLast()).get() == request)
        }
    }

    static var replies: [Response] {
        let status = SampleStatus.running()
        var idle = Status.idle
        idle.audio = .init(device: "null", ok: false, error: "cannot open \"null\": no such device")
        return [
            Response(id: .number(1), status: status),
            Response(id: .string("x/y"), status: idle),
            Response(id: .number(2), status: SampleStatus.finished),
            Response(id: .number(3), status: SampleStatus.running(remaining: 0.000001, side: nil, state: .paused, restored: true, audio: nil, rounds: 3)),
            Response.failure(ProtocolError(.unknownSession, "no session named \"x\" (did you mean \"y\"?)"), id: .number(4)),
            Response.failure(ProtocolError(.invalidRequest, "malformed"), id: nil),
            Response(
                id: .number(5), sessions: [SessionSummary(name: "cooldown", title: "Cool", steps: 12, total: 535.5)],
                errors: [FileError(file: "/x/bad.json", message: "bad.json: steps[0].duration: …")]),
            Response(id: .number(6), sessions: [], errors: []),
            Response(
                id: .number(7),
                history: [
                    HistoryEntry(
                        session: "cooldown", title: "Cool", outcome: .finished, startedAt: "2025-05-01T18:30:00Z",
                        endedAt: "2025-05-01T18:40:00Z", elapsed: 600.25, total: 600),
                    HistoryEntry(
                        session: "massage", title: "M", outcome: .abandoned, startedAt: "x", endedAt: "y", elapsed: 0, total: 1e9),
                ]),
            Response(id: .number(8), version: VersionInfo(daemon: "0.1.0", pid: 1234)),
            Response(id: .number(9), version: VersionInfo(daemon: "0.1.0")),
        ]
    }

    @Test func repliesDecodeAsJSONDecoderDecodesThem() throws {
        for reply in Self.replies {
            let line = try Self.foundationLine(reply)
            let ours = try WireCoding.decode(Response.self, from: Array(line.dropLast()))
            let theirs = try JSONDecoder().decode(Response.self, from: Data(line))
            #expect(ours == theirs)
            #expect(ours == reply)
        }
    }

    @Test func eventsDecodeAsJSONDecoderDecodesThem() throws {
        let events = [
            Event(.countdown, status: SampleStatus.running(), secondsLeft: 3),
            Event(.audio, status: .idle, message: "audio is back"),
            Event(.finished, status: SampleStatus.finished),
        ]
        for event in events {
            let line = try Self.foundationLine(event)
            #expect(try WireCoding.decode(Event.self, from: Array(line.dropLast())) == JSONDecoder().decode(Event.self, from: Data(line)))
        }
    }

    /// Hand-written lines: what JSONDecoder accepts and refuses, this decoder does too.
    @Test func sameVerdictsOnHandWrittenLines() {
        let lines = [
            #"{"ok":true,"id":1,"unknown":{"deep":[1,2,3]},"status":{"state":"idle"}}"#,  // unknown keys ignored
            #"{"ok":true,"status":null,"id":null}"#,  // null optionals
            #"{"ok":true,"id":"seven"}"#,
            #"{"ok":true,"id":7.5}"#,  // neither Int64 nor String
            #"{"ok":true,"id":1e3}"#,
            #"{"ok":"yes"}"#,  // wrong type
            #"{"id":1}"#,  // missing "ok"
            #"{"ok":true,"status":{"state":"dancing"}}"#,  // unknown enum case
            #"{"ok":true,"status":{"state":"running","step":{"index":1.5,"count":2,"name":"x","rest":false,"duration":1,"remaining":1}}}"#,
            #"{"ok":true,"status":{"state":"running","step":{"index":1,"count":2,"name":"x","rest":false,"duration":"1","remaining":1}}}"#,
            #"{"ok":true,"version":{"daemon":"1","protocol":1,"pid":3000000000}}"#,  // pid beyond Int32
            #"{"ok":true,"sessions":[{"name":"a","title":"A","steps":1,"total":1},null]}"#,
            #"{"ok":true,"sessions":{}}"#,
            #"[1,2]"#,
            #"{"ok":true"#,
            "",
        ]
        for line in lines {
            let ours = try? WireCoding.decode(Response.self, from: Array(line.utf8))
            let theirs = try? JSONDecoder().decode(Response.self, from: Data(line.utf8))
            #expect(ours == theirs, "\(line)")
        }
    }
}

/// ``Response/init(wireLine:)`` (statuses read by hand) against `JSONDecoder`, on replies
/// with every field of the status and of the reply removed, `null`, or of another type.
@Suite struct WireLineTests {
    static func mutations(of value: Any) -> [Any] {
        guard let object = value as? [String: Any] else { return [] }
        var out: [Any] = []
        let others: [Any] = [NSNull(), "text", 1, 1.5, -3, true, [String: Any](), [Any](), 3_000_000_000_000_000_000.0]
        for (key, member) in object {
            var removed = object
            removed[key] = nil
            out.append(removed)
            for other in others {
                var changed = object
                changed[key] = other
                out.append(changed)
            }
            for inner in mutations(of: member) {
                var changed = object
                changed[key] = inner
                out.append(changed)
            }
        }
        return out
    }

    @Test func sameVerdictsAndValuesAsJSONDecoder() throws {
        var statuses = [SampleStatus.running(), SampleStatus.finished, Status.idle]
        statuses.append(SampleStatus.running(remaining: 3.25, side: .right, state: .paused, restored: true, audio: .init(device: "x", ok: false, error: "e")))
        var checked = 0
        for status in statuses {
            for reply in [Response(id: .number(3), status: status), Response.failure(ProtocolError(.busy, "busy"), id: .string("a"))] {
                let line = try WireCodingTests.foundationLine(reply)
                let base = try JSONSerialization.jsonObject(with: Data(line))
                for variant in [base] + Self.mutations(of: base) {
                    let bytes = Array(try JSONSerialization.data(withJSONObject: variant))
                    let ours = try? Response(wireLine: bytes)
                    let theirs = try? JSONDecoder().decode(Response.self, from: Data(bytes))
                    #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self))")
                    checked += 1
                }
            }
        }
        #expect(checked > 500)
    }

    @Test func everyReplyKindDecodes() throws {
        for reply in WireCodingTests.replies {
            #expect(try Response(wireLine: Array(try WireCodingTests.foundationLine(reply).dropLast())) == reply)
        }
    }
}
