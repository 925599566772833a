import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Logging
import Testing

/// `status` is answered on the event loop from the state the engine publishes, without a
/// hop to the engine actor. What a client sees must not change: the same bytes as the
/// engine's own status at that instant, and replies in the order of the requests on a
/// connection, even when a `status` is pipelined behind commands that change the state.
@Suite("status fast path")
struct StatusFastPathTests {
    /// 2 s, then 10 s on each side, then 1 s: 23 s in all.
    static let session = """
        {"title": "Fast / \\"path\\"", "steps": [
          {"name": "A", "duration": 2, "instructions": "Slowly."},
          {"name": "B", "duration": 10, "sides": true},
          {"name": "C", "duration": 1, "rest": true}
        ]}
        """

    /// An engine on a manual clock: nothing moves unless the test says so, so a status read
    /// twice at the same instant must be the same.
    final class Rig: Sendable {
        let clock = ManualClock()
        let directory: String
        let engine: Engine<ManualClock>

        init() throws {
            directory = NSTemporaryDirectory() + "guide-fast-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(StatusFastPathTests.session.utf8).write(to: URL(fileURLWithPath: directory + "/fast.json"))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            engine = Engine(
                clock: clock, directories: [directory], player: nil, audioDevice: "null",
                history: HistoryStore(path: directory + "/history.jsonl", logger: logger), logger: logger,
                wallClock: { Date(timeIntervalSince1970: 1_800_000_000) })
        }

        func instant(_ milliseconds: Int) -> ManualClock.Instant { ManualClock.Instant(.milliseconds(milliseconds)) }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A `SocketServer` for the rig's engine on a socket of its own, for the length of `body`.
    static func serving(_ rig: Rig, _ body: (String) async throws -> Void) async throws {
        let path = rig.directory + "/s.sock"
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let server = SocketServer(endpoint: .path(path), engine: rig.engine, logger: logger, onReady: { readyContinuation.yield() })
        let running = Task { try await server.run() }
        defer { running.cancel() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        try await body(path)
    }

    /// Runs blocking client code on a thread of its own: the cooperative pool (two threads
    /// here) must stay free for the engine.
    static func client<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }

    static func lines(_ connection: GuideConnection, _ count: Int) throws -> [[UInt8]] {
        try (0..<count).map { _ in try connection.readLine(deadline: .now + .seconds(10)) }
    }

    static func reply(_ line: [UInt8]) throws -> Response { try WireCoding.decode(Response.self, from: line) }

    /// The line the engine's own status makes, as the slow path writes it.
    static func expected(_ rig: Rig, id: RequestID?) async -> [UInt8] {
        Array(WireCoding.encodeLine(Response(id: id, status: await rig.engine.status)).dropLast())
    }

    @Test("the published status equals the engine's status in every state")
    func publishedEqualsEngine() async throws {
        let rig = try Rig()
        let engine = rig.engine
        #expect(engine.publishedStatus == (await engine.status))
        #expect(engine.publishedStatus.state == .idle)

        var events = await engine.subscribe().lines.makeAsyncIterator()
        #expect(await engine.handle(Request(command: .start, session: "fast")).ok)
        _ = await events.next()  // started
        #expect(engine.publishedStatus == (await engine.status))

        try await rig.clock.waitForSleepers(1)
        rig.clock.advance(to: rig.instant(1250))  // mid-step, no cue due
        let running = engine.publishedStatus
        #expect(running == (await engine.status))
        #expect(running.state == .running && running.elapsed == 1.25 && running.step?.remaining == 0.75)

        rig.clock.advance(to: rig.instant(2000))  // step B: the engine's timer fires
        _ = await events.next()
        #expect(engine.publishedStatus.step?.name == "B")
        #expect(engine.publishedStatus == (await engine.status))

        #expect(await engine.handle(Request(command: .pause)).status?.state == .paused)
        rig.clock.advance(by: .seconds(30))  // paused: nothing moves
        #expect(engine.publishedStatus == (await engine.status))
        #expect(engine.publishedStatus.elapsed == 2)

        #expect(await engine.handle(Request(command: .skip)).ok)
        #expect(engine.publishedStatus == (await engine.status))
        #expect(engine.publishedStatus.step?.side == .right)

        await engine.audioChanged(Status.AudioStatus(device: "null", ok: false, error: "gone"))
        #expect(engine.publishedStatus.audio?.error == "gone")
        #expect(engine.publishedStatus == (await engine.status))

        #expect(await engine.handle(Request(command: .resume)).ok)
        rig.clock.advance(by: .milliseconds(3333))
        #expect(engine.publishedStatus == (await engine.status))

        #expect(await engine.handle(Request(command: .stop)).ok)
        #expect(engine.publishedStatus == (await engine.status))
        #expect(engine.publishedStatus.state == .idle)
    }

    @Test("start and status in one write: the status comes second and shows the session")
    func pipelinedStartThenStatus() async throws {
        let rig = try Rig()
        try await Self.serving(rig) { path in
            let replies = try await Self.client {
                let connection = try GuideConnection(path: path)
                defer { connection.close() }
                try connection.writeAll(Array(#"{"id":1,"command":"start","session":"fast"}"#.utf8 + [0x0A] + #"{"id":2,"command":"status"}"#.utf8 + [0x0A]))
                return try Self.lines(connection, 2)
            }
            let start = try Self.reply(replies[0]), status = try Self.reply(replies[1])
            #expect(start.id == .number(1) && start.ok)
            #expect(status.id == .number(2) && status.ok)
            #expect(status.status?.state == .running)
            #expect(status.status?.session == "fast")
            #expect(status.status?.step?.name == "A")
            // Nothing moved on the manual clock: exactly the engine's status.
            #expect(replies[1] == (await Self.expected(rig, id: .number(2))))
        }
    }

    @Test("commands, bad lines and statuses pipelined in one write are answered in order")
    func pipelinedMix() async throws {
        let rig = try Rig()
        _ = await rig.engine.handle(Request(command: .start, session: "fast"))
        try await Self.serving(rig) { path in
            let requests = [
                #"{"id":1,"command":"status"}"#, #"{"id":2,"command":"pause"}"#, #"{"id":3,"command":"status"}"#,
                #"{"id":4,"command":"stauts"}"#, "", #"{"id":5,"command":"skip"}"#, #"{"id":"six","command":"status"}"#,
                #"{"id":7,"command":"stop"}"#, #"{"id":8,"command":"status"}"#,
            ]
            let replies = try await Self.client {
                let connection = try GuideConnection(path: path)
                defer { connection.close() }
                try connection.writeAll(Array(requests.joined(separator: "\n").utf8) + [0x0A])
                return try Self.lines(connection, 8).map(Self.reply)
            }
            #expect(replies.map(\.id) == [.number(1), .number(2), .number(3), .number(4), .number(5), .string("six"), .number(7), .number(8)])
            #expect(replies[0].status?.state == .running)
            #expect(replies[2].status?.state == .paused)
            #expect(replies[3].error?.code == .unknownCommand)
            #expect(replies[5].status?.state == .paused && replies[5].status?.step?.name == "B")
            #expect(replies[7].status?.state == .idle)
        }
    }

    @Test("a status on its own, running and paused, is byte for byte the engine's status")
    func statusBytes() async throws {
        let rig = try Rig()
        try await Self.serving(rig) { path in
            let connection = Unchecked(try GuideConnection(path: path))
            defer { connection.value.close() }
            func ask(_ id: Int64) async throws -> [UInt8] {
                try await Self.client {
                    try connection.value.writeAll(Array(#"{"id":\#(id),"command":"status"}"#.utf8) + [0x0A])
                    return try connection.value.readLine(deadline: .now + .seconds(10))
                }
            }
            #expect(try await ask(1) == (await Self.expected(rig, id: .number(1))))
            _ = await rig.engine.handle(Request(command: .start, session: "fast"))
            try await rig.clock.waitForSleepers(1)
            rig.clock.advance(to: rig.instant(1750))
            #expect(try await ask(2) == (await Self.expected(rig, id: .number(2))))
            _ = await rig.engine.handle(Request(command: .pause))
            rig.clock.advance(by: .seconds(5))
            let paused = try await ask(3)
            #expect(paused == (await Self.expected(rig, id: .number(3))))
            #expect(try Self.reply(paused).status?.elapsed == 1.75)
        }
    }

    @Test("many statuses in one write come back complete and in order")
    func manyPipelinedStatuses() async throws {
        let rig = try Rig()
        _ = await rig.engine.handle(Request(command: .start, session: "fast"))
        try await Self.serving(rig) { path in
            let count = 2000  // about 1 MB of replies: more than the send buffer holds
            let ids = try await Self.client {
                let connection = try GuideConnection(path: path)
                defer { connection.close() }
                var batch: [UInt8] = []
                for id in 1...count { batch += Array(#"{"id":\#(id),"command":"status"}"#.utf8) + [0x0A] }
                try connection.writeAll(batch)
                return try Self.lines(connection, count).map { try Self.reply($0).id }
            }
            #expect(ids == (1...count).map { RequestID.number(Int64($0)) })
        }
    }

    @Test("a subscriber's status replies and events still arrive")
    func subscriber() async throws {
        let rig = try Rig()
        try await Self.serving(rig) { path in
            let connection = Unchecked(try GuideConnection(path: path))
            defer { connection.value.close() }
            let first = try await Self.client {
                try connection.value.writeAll(Array(#"{"id":1,"command":"subscribe"}"#.utf8 + [0x0A] + #"{"id":2,"command":"status"}"#.utf8 + [0x0A]))
                return try Self.lines(connection.value, 2).map(Self.reply)
            }
            #expect(first.map(\.id) == [.number(1), .number(2)])
            _ = await rig.engine.handle(Request(command: .start, session: "fast"))
            let event = try await Self.client {
                try WireCoding.decode(Event.self, from: connection.value.readLine(deadline: .now + .seconds(10)))
            }
            #expect(event.event == .started)
            let status = try await Self.client {
                try connection.value.writeAll(Array(#"{"id":3,"command":"status"}"#.utf8) + [0x0A])
                return try Self.reply(connection.value.readLine(deadline: .now + .seconds(10)))
            }
            #expect(status.id == .number(3) && status.status?.state == .running)
        }
    }
}
