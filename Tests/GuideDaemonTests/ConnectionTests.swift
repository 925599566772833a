import Foundation
import GuideCore
@testable import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Logging
import Testing

/// Every request is answered by the connection's handler on the engine's event loop, from
/// the one command table. What a client sees: the engine's own status, byte for byte, and
/// replies in the order of the requests on a connection, whatever they are and however
/// many are pipelined (more than the socket buffers hold: reading pauses and resumes).
@Suite("connections")
struct ConnectionTests {
    /// 2 s, then 10 s on each side, then 1 s: 23 s in all.
    static let session = """
        {"title": "Fast / \\"path\\"", "steps": [
          {"name": "A", "duration": 2, "instructions": "Slowly."},
          {"name": "B", "duration": 10, "sides": true},
          {"name": "C", "duration": 1, "rest": true}
        ]}
        """

    /// An engine on a manual clock (on a real event loop: the server needs sockets), so
    /// that a status read twice is the same. (Its timers are real: nothing is due on a
    /// clock that does not move, so they only re-arm.)
    final class Rig: Sendable {
        let clock = ManualClock()
        let directory: String
        let engine: Engine<ManualClock>

        init() throws {
            directory = NSTemporaryDirectory() + "guide-fast-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(ConnectionTests.session.utf8).write(to: URL(fileURLWithPath: directory + "/fast.json"))
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

    /// Runs blocking client code on a thread of its own, off the event loop and the pool.
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

    @Test("the command table answers every command of the protocol")
    func everyCommandHasAnEntry() async throws {
        let rig = try Rig()
        #expect(rig.engine.commands.commands == Set(Command.allCases))
        for command in Command.allCases {
            let reply = await rig.engine.handle(Request(id: .number(1), command: command, session: command.needsSession ? "fast" : nil))
            #expect(reply.id == .number(1))
            #expect(reply.error?.code != .unknownCommand, "\(command)")
        }
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
