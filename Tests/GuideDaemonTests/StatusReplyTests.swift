import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Testing

/// The daemon writes `status` replies by hand (``StatusReply``); they must be byte for
/// byte what the JSONEncoder path (`WireCoding.encodeLine`) writes for the same reply,
/// since scripts and the other replies see that form.
@Suite("status replies written by hand")
struct StatusReplyTests {
    /// Seeded, so that a failure can be reproduced.
    typealias Generator = SplitMix64

    static let awkwardStrings = [
        "", "Knee-to-chest", "a/b", "quote \" and backslash \\", "tab\there", "new\nline", "cr\rlf",
        "\u{08}\u{0C}", "\u{00}\u{01}\u{1F}\u{7F}", "é, ü, ß", "日本語", "emoji 🧘‍♀️", "\u{2028}\u{2029}", "</script>",
        "{\"id\":1}", "null", "trailing space ",
    ]

    static let awkwardNumbers: [Double] = [
        0, -0.0, 1, 30, 45.5, 0.1, 0.2 + 0.1, 1e-7, 1.5e-5, 123_456_789.123, 1e15, 1e16, 1.234e17, 1e21, 1e300,
        .leastNonzeroMagnitude, .greatestFiniteMagnitude, -12.25, 2.999999999, 0.001, 539.0000001,
    ]

    static func randomString(_ g: inout Generator) -> String {
        if Bool.random(using: &g) { return awkwardStrings.randomElement(using: &g)! }
        let length = Int.random(in: 0...12, using: &g)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let value: UInt32 =
                switch Int.random(in: 0..<4, using: &g) {
                case 0: UInt32.random(in: 0...0x7F, using: &g)
                case 1: UInt32.random(in: 0x80...0x7FF, using: &g)
                case 2: UInt32.random(in: 0x800...0xD7FF, using: &g)
                default: UInt32.random(in: 0x1_0000...0x10_FFFF, using: &g)
                }
            scalars.append(Unicode.Scalar(value) ?? "?")
        }
        return String(scalars)
    }

    static func randomNumber(_ g: inout Generator) -> Double {
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return awkwardNumbers.randomElement(using: &g)!
        case 1: return Double(Int.random(in: 0...7200, using: &g))
        case 2: return Double.random(in: 0...7200, using: &g)
        default:
            // Any finite bit pattern.
            var value: Double
            repeat { value = Double(bitPattern: g.next()) } while !value.isFinite
            return value
        }
    }

    /// The nested parts have no public initialisers: start from decoded ones and set fields.
    static func template<T: Decodable>(_ json: String) -> T {
        try! JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func randomStatus(_ g: inout Generator) -> Status {
        func maybe<T>(_ make: (inout Generator) -> T) -> T? { Bool.random(using: &g) ? make(&g) : nil }
        let sides: [Side?] = [nil, .left, .right]
        var status = Status(
            state: [.idle, .running, .paused, .finished].randomElement(using: &g)!,
            session: maybe(randomString), title: maybe(randomString),
            step: maybe { g in
                var step: Status.StepStatus = template(#"{"index":1,"count":1,"name":"","rest":false,"duration":0,"remaining":0}"#)
                step.index = Int.random(in: 1...40, using: &g)
                step.count = Int.random(in: 1...40, using: &g)
                step.name = randomString(&g)
                step.side = sides.randomElement(using: &g)!
                step.rest = Bool.random(using: &g)
                step.duration = randomNumber(&g)
                step.remaining = randomNumber(&g)
                step.instructions = Bool.random(using: &g) ? randomString(&g) : nil
                return step
            },
            round: maybe { g in
                var round: Status.RoundStatus = template(#"{"index":1,"count":1}"#)
                round.index = Int.random(in: 0...9, using: &g)
                round.count = Int.random(in: -1...9, using: &g)
                return round
            },
            elapsed: randomNumber(&g), remaining: randomNumber(&g), total: randomNumber(&g),
            next: maybe { g in
                var next: Status.NextStatus = template(#"{"name":"","duration":0}"#)
                next.name = randomString(&g)
                next.side = sides.randomElement(using: &g)!
                next.duration = randomNumber(&g)
                return next
            },
            audio: maybe { g in
                Status.AudioStatus(device: randomString(&g), ok: Bool.random(using: &g), error: Bool.random(using: &g) ? randomString(&g) : nil)
            },
            startedAt: maybe { g in Bool.random(using: &g) ? "2026-11-25T17:24:50Z" : randomString(&g) },
            restored: Bool.random(using: &g))
        status.pauseReason = maybe(randomString)
        status.reminders = maybe { g in
            Status.ReminderStatus(
                next: maybe { g in .init(name: randomString(&g), text: randomString(&g), at: randomString(&g)) },
                waiting: (0..<Int.random(in: 0...3, using: &g)).map { _ in randomString(&g) })
        }
        return status
    }

    static func randomID(_ g: inout Generator) -> RequestID? {
        switch Int.random(in: 0..<4, using: &g) {
        case 0: nil
        case 1: .number(Int64.random(in: -9_000_000_000_000_000...9_000_000_000_000_000, using: &g))
        case 2: .number(Int64.random(in: 0...100, using: &g))
        default: .string(randomString(&g))
        }
    }

    @Test("20,000 random statuses and ids: the same bytes as JSONEncoder")
    func randomStatuses() {
        var g = Generator(state: 8)
        var mismatches = 0
        for _ in 0..<20_000 {
            let id = Self.randomID(&g)
            let status = Self.randomStatus(&g)
            let expected = WireCoding.encodeLine(Response(id: id, status: status))
            let written = StatusReply.line(id: id, status: status)
            if written != expected {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("\(String(decoding: written, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("the statuses a session really goes through: the same bytes as JSONEncoder")
    func sessionStatuses() throws {
        let json = """
            {"title": "Evening / \\"quoted\\"", "rounds": 2, "roundRest": "30s", "steps": [
              {"name": "Reach", "duration": 2.5, "instructions": "Slowly.\\nBreathe."},
              {"name": "Twist", "duration": "45s", "sides": true},
              {"name": "Breathe", "duration": 12, "rest": true}
            ]}
            """
        let session = try SessionDecoder.decode(Array(json.utf8), fileName: "evening.json")
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        var statuses = [Status.idle, runner.status]
        runner.start(session, startedAt: "2026-11-25T17:24:50Z")
        var step = 0
        while runner.state != .finished {
            // Odd steps visit every segment at many fractional offsets, paused now and then.
            clock.advance(by: .milliseconds(1337))
            _ = runner.tick()
            step += 1
            if step % 7 == 0 { try? runner.toggle() }
            var status = runner.status
            status.audio = Status.AudioStatus(device: "default", ok: step % 3 != 0, error: step % 3 == 0 ? "device gone" : nil)
            statuses.append(status)
        }
        #expect(statuses.count > 100)
        for (index, status) in statuses.enumerated() {
            let id: RequestID? = index % 2 == 0 ? .number(Int64(index)) : nil
            #expect(StatusReply.line(id: id, status: status) == WireCoding.encodeLine(Response(id: id, status: status)))
        }
    }

    @Test("a number JSON cannot carry gets the encoder's own fallback line")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity] {
            var status = Status(state: .running, session: "x", elapsed: 1, remaining: value, total: 2)
            #expect(StatusReply.line(id: .number(1), status: status) == WireCoding.encodeLine(Response(id: .number(1), status: status)))
            status.remaining = 1
            var step: Status.StepStatus = Self.template(#"{"index":1,"count":1,"name":"a","rest":false,"duration":0,"remaining":0}"#)
            step.duration = value
            status.step = step
            #expect(StatusReply.line(id: nil, status: status) == WireCoding.encodeLine(Response(status: status)))
        }
    }

    @Test("replies of every other shape are left to the encoder, unchanged")
    func otherReplies() {
        let status = Status(state: .idle)
        let replies: [Response] = [
            Response(id: .number(3), status: status),
            Response(id: .string("x"), ok: false, error: ProtocolError(.busy, "busy"), status: status),
            .failure(ProtocolError(.notRunning, "nothing is running"), id: .number(4)),
            Response(id: .number(5), sessions: [SessionSummary(name: "a", title: "A", steps: 1, total: 30)], errors: []),
            Response(id: nil, status: status, version: VersionInfo(daemon: "0.1.0", pid: 7)),
            Response(id: .number(6), ok: false, status: status),
        ]
        for reply in replies {
            #expect(StatusReply.line(for: reply) == WireCoding.encodeLine(reply))
        }
    }
}
