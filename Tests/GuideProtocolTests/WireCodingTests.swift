import GuideCore
import Testing

@testable import GuideProtocol

/// Values the wire tests share: a status with every field set, and the same idle.
enum WireSamples {
    static let running = Status(
        state: .running, session: "morning-stretch", title: "Morning stretch",
        step: .init(
            index: 3, count: 9, name: "Knee-to-chest", side: .left, rest: false, duration: 30, remaining: 12.25,
            instructions: "Pull one knee to your chest; keep the other leg long."),
        round: .init(index: 1, count: 2), elapsed: 95.5, remaining: 420.75, total: 516.25,
        next: .init(name: "Cat-cow", side: nil, duration: 45), audio: .init(device: "default", ok: true),
        startedAt: "2026-11-29T23:20:27Z", restored: false)

    static var idleWithAudioError: Status {
        var idle = Status.idle
        idle.audio = .init(device: "null", ok: false, error: "cannot open \"null\": no such device")
        return idle
    }

    static let awkwardStrings: [String] = [
        "", "cooldown", "a/b", "quote\"d", "back\\slash", "tab\there", "new\nline", "cr\rlf\n", "\u{08}\u{0C}",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F}del", "é ü 😀 \u{2028}\u{2029}\u{FEFF}",
        "{\"command\":\"stop\"}", "</script>",
    ]

    static var replies: [Response] {
        [
            Response(id: .number(1), status: running),
            Response(id: .string("x/y"), status: idleWithAudioError),
            Response(status: .idle),
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
                    HistoryEntry(session: "massage", title: "M", outcome: .abandoned, startedAt: "x", endedAt: "y", elapsed: 0, total: 1e9),
                ]),
            Response(id: .number(8), version: VersionInfo(daemon: "0.1.0", pid: 1234)),
            Response(id: .number(9), version: VersionInfo(daemon: "0.1.0")),
            Response(id: .number(10), session: SessionDetail(session)),
        ]
    }

    static var session: Session {
        let json = #"""
            {"title": "Evening", "description": "d", "caution": "c", "rounds": 2, "roundRest": "30s", "steps": [
              {"name": "Reach", "duration": 2.5, "instructions": "Slowly."},
              {"name": "Twist", "duration": "45s", "sides": true},
              {"name": "Breathe", "duration": 12, "rest": true}]}
            """#
        return try! SessionDecoder.decode(Array(json.utf8), fileName: "evening.json")
    }
}

/// Lines as guide has always written them (captured from the `JSONEncoder` codec this one
/// replaced, sorted keys, slashes unescaped): clients, scripts and `history.jsonl` files
/// hold such lines, so every wire type must still write exactly these bytes and read
/// them back to the same value.
@Suite struct WireGoldenLineTests {
    static func check<T: WireCodable & Equatable>(_ value: T, _ golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = String(decoding: WireCoding.encodeLine(value), as: UTF8.self)
        #expect(written == golden + "\n", sourceLocation: sourceLocation)
        #expect(try WireCoding.decode(T.self, from: Array(golden.utf8)) == value, sourceLocation: sourceLocation)
    }

    @Test func statusReplies() throws {
        try Self.check(
            Response(id: .number(1), status: WireSamples.running),
            #"{"id":1,"ok":true,"status":{"audio":{"device":"default","ok":true},"elapsed":95.5,"next":{"duration":45,"name":"Cat-cow"},"remaining":420.75,"restored":false,"round":{"count":2,"index":1},"session":"morning-stretch","startedAt":"2026-11-29T23:20:27Z","state":"running","step":{"count":9,"duration":30,"index":3,"instructions":"Pull one knee to your chest; keep the other leg long.","name":"Knee-to-chest","remaining":12.25,"rest":false,"side":"left"},"title":"Morning stretch","total":516.25}}"#
        )
        try Self.check(
            Response(id: .string("x/y"), status: WireSamples.idleWithAudioError),
            #"{"id":"x/y","ok":true,"status":{"audio":{"device":"null","error":"cannot open \"null\": no such device","ok":false},"elapsed":0,"next":null,"remaining":0,"restored":false,"round":null,"session":null,"startedAt":null,"state":"idle","step":null,"title":null,"total":0}}"#
        )
        try Self.check(
            Response(status: .idle),
            #"{"ok":true,"status":{"audio":null,"elapsed":0,"next":null,"remaining":0,"restored":false,"round":null,"session":null,"startedAt":null,"state":"idle","step":null,"title":null,"total":0}}"#
        )
    }

    @Test func otherReplies() throws {
        try Self.check(
            Response.failure(ProtocolError(.unknownSession, "no session named \"x\" (did you mean \"y\"?)"), id: .number(4)),
            #"{"error":{"code":"unknown-session","message":"no session named \"x\" (did you mean \"y\"?)"},"id":4,"ok":false}"#)
        try Self.check(
            Response(
                id: .number(5), sessions: [SessionSummary(name: "cooldown", title: "Cool", steps: 12, total: 535.5)],
                errors: [FileError(file: "/x/bad.json", message: "bad.json: steps[0].duration: \u{1F} tab\t")]),
            #"{"errors":[{"file":"/x/bad.json","message":"bad.json: steps[0].duration: \u001f tab\t"}],"id":5,"ok":true,"sessions":[{"name":"cooldown","steps":12,"title":"Cool","total":535.5}]}"#
        )
        try Self.check(
            Response(
                id: .number(7),
                history: [
                    HistoryEntry(
                        session: "cooldown", title: "Cool / \"down\"", outcome: .finished, startedAt: "2025-05-01T18:30:00Z",
                        endedAt: "2025-05-01T18:40:00Z", elapsed: 600.25, total: 600),
                    HistoryEntry(session: "massage", title: "Ü 😀", outcome: .abandoned, startedAt: "x", endedAt: "y", elapsed: 0.1, total: 1e21),
                ]),
            #"{"history":[{"elapsed":600.25,"endedAt":"2025-05-01T18:40:00Z","outcome":"finished","session":"cooldown","startedAt":"2025-05-01T18:30:00Z","title":"Cool / \"down\"","total":600},{"elapsed":0.1,"endedAt":"y","outcome":"abandoned","session":"massage","startedAt":"x","title":"Ü 😀","total":1e+21}],"id":7,"ok":true}"#)
        try Self.check(
            Response(id: .number(8), version: VersionInfo(daemon: "0.1.0", pid: 1234)),
            #"{"id":8,"ok":true,"version":{"daemon":"0.1.0","pid":1234,"protocol":1}}"#)
        try Self.check(Response(id: .number(9), session: SessionDetail(WireSamples.session)), #"{"id":9,"ok":true,"session":{"caution":"c","cues":31,"description":"d","name":"evening","roundRest":30,"rounds":2,"steps":[{"duration":2.5,"instructions":"Slowly.","name":"Reach","rest":false,"sides":false},{"duration":45,"name":"Twist","rest":false,"sides":true},{"duration":12,"name":"Breathe","rest":true,"sides":false}],"timeline":[{"duration":2.5,"name":"Reach","offset":0,"rest":false,"round":1,"step":1},{"duration":45,"name":"Twist","offset":2.5,"rest":false,"round":1,"side":"left","step":2},{"duration":45,"name":"Twist","offset":47.5,"rest":false,"round":1,"side":"right","step":2},{"duration":12,"name":"Breathe","offset":92.5,"rest":true,"round":1,"step":3},{"duration":30,"name":"Rest before round 2","offset":104.5,"rest":true,"round":1,"step":3},{"duration":2.5,"name":"Reach","offset":134.5,"rest":false,"round":2,"step":1},{"duration":45,"name":"Twist","offset":137,"rest":false,"round":2,"side":"left","step":2},{"duration":45,"name":"Twist","offset":182,"rest":false,"round":2,"side":"right","step":2},{"duration":12,"name":"Breathe","offset":227,"rest":true,"round":2,"step":3}],"title":"Evening","total":239}}"#)
    }

    @Test func eventsAndRequests() throws {
        try Self.check(Event(.countdown, status: WireSamples.running, secondsLeft: 3), #"{"event":"countdown","secondsLeft":3,"status":{"audio":{"device":"default","ok":true},"elapsed":95.5,"next":{"duration":45,"name":"Cat-cow"},"remaining":420.75,"restored":false,"round":{"count":2,"index":1},"session":"morning-stretch","startedAt":"2026-11-29T23:20:27Z","state":"running","step":{"count":9,"duration":30,"index":3,"instructions":"Pull one knee to your chest; keep the other leg long.","name":"Knee-to-chest","remaining":12.25,"rest":false,"side":"left"},"title":"Morning stretch","total":516.25}}"#)
        try Self.check(
            Event(.audio, status: .idle, message: "audio is back"),
            #"{"event":"audio","message":"audio is back","status":{"audio":null,"elapsed":0,"next":null,"remaining":0,"restored":false,"round":null,"session":null,"startedAt":null,"state":"idle","step":null,"title":null,"total":0}}"#
        )
        try Self.check(
            Request(id: .number(7), command: .start, session: "cooldown", replace: false, limit: 3),
            #"{"command":"start","id":7,"limit":3,"replace":false,"session":"cooldown"}"#)
    }
}

/// Every wire type reads back what it writes, whatever its strings hold.
@Suite struct WireRoundTripTests {
    static var requests: [Request] {
        var all: [Request] = []
        for command in Command.allCases {
            all.append(Request(command: command))
            all.append(Request(id: .number(1), command: command))
        }
        for text in WireSamples.awkwardStrings {
            all.append(Request(id: .string(text), command: .start, session: text, replace: true))
            all.append(Request(command: .show, session: text))
        }
        for id in [-1, 0, 42, 4_503_599_627_370_496] as [Int64] {
            all.append(Request(id: .number(id), command: .history, limit: 100_000))
        }
        all.append(Request(command: .history, limit: 1))
        return all
    }

    @Test func requestLinesParseBackToTheRequest() throws {
        for request in Self.requests where !(request.command.needsSession && request.session == nil) {
            let line = WireCoding.encodeLine(request)
            #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
            #expect(try Request.parse(line: line.dropLast()).get() == request)
            #expect(try WireCoding.decode(Request.self, from: line.dropLast()) == request)
        }
    }

    @Test func repliesReadBackToThemselves() throws {
        var replies = WireSamples.replies
        for text in WireSamples.awkwardStrings {
            var status = WireSamples.running
            status.title = text
            status.step?.instructions = text
            status.audio?.error = text
            replies.append(Response(id: .string(text), status: status))
            replies.append(.failure(ProtocolError(.invalidRequest, text), id: .string(text)))
        }
        for reply in replies {
            let line = WireCoding.encodeLine(reply)
            #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
            #expect(try WireCoding.decode(Response.self, from: line.dropLast()) == reply)
        }
    }

    /// Whole numbers are written as their digits (the shortest form, as `description`
    /// without `.0` gives them); the rest, -0 included, through `description`.
    @Test func numbersAreTheirShortestForm() {
        let cases: [(Double, String)] = [
            (0, "0"), (30, "30"), (-7, "-7"), (12.25, "12.25"), (-0.0, "-0"), (1e-7, "1e-07"),
            (999_999_999_999_999, "999999999999999"), (1e15, "1000000000000000"), (1e16, "1e+16"), (1e21, "1e+21"), (123_456_789.5, "123456789.5"),
        ]
        for (value, text) in cases {
            var writer = JSONWriter()
            writer.number(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == text, "\(value)")
        }
    }

    @Test func aNumberJSONCannotCarryGivesTheInternalErrorLine() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            let line = WireCoding.encodeLine(Response(id: .number(1), status: Status(state: .running, remaining: value)))
            #expect(line == WireCoding.unencodableLine)
            let reply = try WireCoding.decode(Response.self, from: line.dropLast())
            #expect(reply.error?.code == .internal)
        }
    }
}

/// What is accepted and refused when reading: unknown keys ignored, `null` or a missing key
/// is nil for an optional, required keys and types checked, whole numbers for integers.
@Suite struct WireReadingTests {
    @Test func handWrittenLines() {
        let lines: [(String, Bool)] = [
            (#"{"ok":true,"id":1,"unknown":{"deep":[1,2,3]},"status":{"state":"idle"}}"#, true),
            (#"{"ok":true,"status":null,"id":null}"#, true),
            (#"{"ok":true,"id":"seven"}"#, true),
            (#"{"ok":true,"id":1e3}"#, true),
            (#"{"ok":true,"id":7.5}"#, false),
            (#"{"ok":"yes"}"#, false),
            (#"{"id":1}"#, false),
            (#"{"ok":true,"status":{"state":"dancing"}}"#, false),
            (#"{"ok":true,"status":{"state":"running","step":{"index":1.5,"count":2,"name":"x","rest":false,"duration":1,"remaining":1}}}"#, false),
            (#"{"ok":true,"status":{"state":"running","step":{"index":1,"count":2,"name":"x","rest":false,"duration":"1","remaining":1}}}"#, false),
            (#"{"ok":true,"version":{"daemon":"1","protocol":1,"pid":3000000000}}"#, false),
            (#"{"ok":true,"sessions":[{"name":"a","title":"A","steps":1,"total":1},null]}"#, false),
            (#"{"ok":true,"sessions":{}}"#, false),
            (#"[1,2]"#, false),
            (#"{"ok":true"#, false),
            ("", false),
        ]
        for (line, accepted) in lines {
            let reply = try? WireCoding.decode(Response.self, from: Array(line.utf8))
            #expect((reply != nil) == accepted, "\(line)")
        }
    }

    /// Every member of a status reply removed, `null`, or of another type: reading either
    /// refuses the line or gets a value that writes and reads back to itself — never a crash.
    @Test func mutatedRepliesAreRefusedOrStable() throws {
        func mutations(of value: JSONValue) -> [JSONValue] {
            guard case .object(let members) = value else { return [] }
            let others: [JSONValue] = [.null, .string("text"), .number(1), .number(1.5), .number(-3), .bool(true), .object([]), .array([]), .number(3e18)]
            var out: [JSONValue] = []
            for (index, member) in members.enumerated() {
                var removed = members
                removed.remove(at: index)
                out.append(.object(removed))
                for other in others + mutations(of: member.value) {
                    var changed = members
                    changed[index].value = other
                    out.append(.object(changed))
                }
            }
            return out
        }
        var refused = 0
        var accepted = 0
        for reply in [Response(id: .number(3), status: WireSamples.running), .failure(ProtocolError(.busy, "busy"), id: .string("a"))] {
            let base = try JSONParser.parse(WireCoding.encodeLine(reply).dropLast())
            for variant in mutations(of: base) {
                var writer = JSONWriter()
                variant.encode(to: &writer)
                guard let decoded = try? WireCoding.decode(Response.self, from: writer.bytes) else {
                    refused += 1
                    continue
                }
                accepted += 1
                #expect(try WireCoding.decode(Response.self, from: WireCoding.encodeLine(decoded).dropLast()) == decoded)
            }
        }
        #expect(refused > 100 && accepted > 50, "refused \(refused), accepted \(accepted)")
    }
}
