import GuideCore
import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Testing

/// The daemon's `status` replies (``StatusReply``, the one ``Response`` encoder): every
/// status a session can be in, with any strings and numbers, reads back to itself; the
/// exact bytes are pinned by GuideProtocolTests' golden lines.
@Suite("status replies")
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

    static func randomStatus(_ g: inout Generator) -> Status {
        func maybe<T>(_ make: (inout Generator) -> T) -> T? { Bool.random(using: &g) ? make(&g) : nil }
        let sides: [Side?] = [nil, .left, .right]
        var status = Status(
            state: [.idle, .running, .paused, .finished].randomElement(using: &g)!,
            session: maybe(randomString), title: maybe(randomString),
            step: maybe { g in
                Status.StepStatus(
                    index: Int.random(in: 1...40, using: &g), count: Int.random(in: 1...40, using: &g), name: randomString(&g),
                    side: sides.randomElement(using: &g)!, rest: Bool.random(using: &g), duration: randomNumber(&g),
                    remaining: randomNumber(&g), instructions: Bool.random(using: &g) ? randomString(&g) : nil)
            },
            round: maybe { g in
                Status.RoundStatus(index: Int.random(in: 0...9, using: &g), count: Int.random(in: -1...9, using: &g))
            },
            elapsed: randomNumber(&g), remaining: randomNumber(&g), total: randomNumber(&g),
            next: maybe { g in
                Status.NextStatus(name: randomString(&g), side: sides.randomElement(using: &g)!, duration: randomNumber(&g))
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

    /// The reply, parsed back: the same id and status, on one line.
    static func readBack(_ line: [UInt8]) throws -> Response {
        #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
        return try WireCoding.decode(Response.self, from: line.dropLast())
    }

    @Test("20,000 random statuses and ids read back to themselves")
    func randomStatuses() throws {
        var g = Generator(state: 8)
        var mismatches = 0
        for _ in 0..<20_000 {
            let id = Self.randomID(&g)
            let status = Self.randomStatus(&g)
            let line = StatusReply.line(id: id, status: status)
            let back = try Self.readBack(line)
            if back != Response(id: id, status: status) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(String(decoding: line, as: UTF8.self)) read back as \(back)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("the statuses a session really goes through read back to themselves")
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
            #expect(try Self.readBack(StatusReply.line(id: id, status: status)) == Response(id: id, status: status))
        }
    }

    @Test("a number JSON cannot carry gets the internal-error line, not bad JSON")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity] {
            var status = Status(state: .running, session: "x", elapsed: 1, remaining: value, total: 2)
            #expect(StatusReply.line(id: .number(1), status: status) == WireCoding.unencodableLine)
            status.remaining = 1
            status.step = Status.StepStatus(index: 1, count: 1, name: "a", duration: value, remaining: 0)
            #expect(StatusReply.line(id: nil, status: status) == WireCoding.unencodableLine)
        }
    }

    @Test("any reply, as a line, reads back to itself")
    func otherReplies() throws {
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
            #expect(try Self.readBack(StatusReply.line(for: reply)) == reply)
        }
    }
}
