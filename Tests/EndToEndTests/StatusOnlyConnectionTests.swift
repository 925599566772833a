import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Connections that send many `status` requests, alone or around other commands, and shut
/// their side or stop reading: replies, their order, the end of the stream and shutdown
/// behave as a client expects (every request takes the same path: ConnectionHandler).
@Suite("connections that only ask for status")
struct StatusOnlyConnectionTests {
    static let status = Array(#"{"id":7,"command":"status"}"#.utf8) + [0x0A]

    /// Writes `bytes` on a thread of its own, then shuts the sending side, while the
    /// caller reads (or both would block once the buffers fill): writeAll and
    /// finishSending only send on the descriptor, readLine only receives.
    static func sendInBackground(_ bytes: [UInt8], on connection: GuideConnection) {
        let sender = Unchecked(connection)
        Thread { try? sender.value.writeAll(bytes); sender.value.finishSending() }.start()
    }

    /// Every line until the daemon ends the stream.
    static func linesUntilEnd(_ connection: GuideConnection) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        while true {
            let line: [UInt8]
            do {
                line = try connection.readLine(deadline: .now + .seconds(10))
            } catch {
                guard case .closed = error else { throw error }
                return lines
            }
            lines.append(line)
        }
    }

    @Test("statuses sent, then the sending side shut: every reply, then the end of the stream", arguments: [1, 3_000])
    func halfClosed(count: Int) throws {
        // 3,000 replies (~650 KB) overflow the socket buffers while the client is still
        // writing, so the daemon pauses reading and answering until the client reads; the
        // end still comes after all of them.
        let daemon = try DaemonFixture()
        try daemon.start()
        let connection = try daemon.connect()
        let batch = Array([[UInt8]](repeating: Self.status, count: count).joined())
        Self.sendInBackground(batch, on: connection)
        let lines = try Self.linesUntilEnd(connection)
        #expect(lines.count == count)
        let replies = try lines.map { try WireCoding.decode(Response.self, from: $0) }
        #expect(replies.allSatisfy { $0.ok && $0.id == .number(7) && $0.status?.state == .idle })
        #expect(try daemon.request(.status).ok, "the daemon is unharmed")
    }

    @Test("a peer that shuts its side and never reads is closed after the time limit, not kept forever")
    func neverReads() async throws {
        let daemon = try DaemonFixture(arguments: ["--idle-timeout", "1"])
        try daemon.start()
        let connection = try daemon.connect()
        let count = 3_000  // replies overflow the socket buffers: the drain cannot finish
        let batch = Array([[UInt8]](repeating: Self.status, count: count).joined())
        Self.sendInBackground(batch, on: connection)
        try await Task.sleep(for: .seconds(3))
        let lines = try Self.linesUntilEnd(connection)
        #expect(!lines.isEmpty && lines.count < count, "cut off after the limit: \(lines.count) of \(count) replies")
        #expect(try daemon.request(.status).ok, "the daemon is unharmed")
    }

    @Test("SIGTERM while replies wait for peers that do not read them: guided exits at once, not after the drain limit")
    func shutdownDuringDrain() async throws {
        let daemon = try DaemonFixture()  // drain limit: the default 30 s
        try daemon.start()
        let statusOnly = try daemon.connect()
        let mixed = try daemon.connect()
        let statuses = Array([[UInt8]](repeating: Self.status, count: 3_000).joined())
        let list = Array(#"{"id":1,"command":"list"}"#.utf8) + [0x0A]
        Self.sendInBackground(statuses, on: statusOnly)
        Self.sendInBackground(list + statuses, on: mixed)
        try await Task.sleep(for: .seconds(1))
        let began = ContinuousClock.now
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit(timeout: .seconds(10)) == 0)
        #expect(ContinuousClock.now - began < .seconds(5), "exited after \(ContinuousClock.now - began)")
    }

    @Test("statuses around commands on one connection keep their order and see the commands' effect")
    func commandsAmongStatuses() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let connection = try daemon.connect()
        #expect(try connection.send(Request(command: .status)).status?.state == .idle)
        let lines = [
            #"{"id":1,"command":"status"}"#, #"{"id":2,"command":"start","session":"long"}"#,
            #"{"id":3,"command":"status"}"#, #"{"id":4,"command":"pause"}"#, #"{"id":5,"command":"status"}"#,
        ]
        try connection.writeAll(Array((lines.joined(separator: "\n") + "\n").utf8))
        let replies = try (0..<lines.count).map { _ in
            try WireCoding.decode(Response.self, from: connection.readLine(deadline: .now + .seconds(10)))
        }
        #expect(replies.map(\.id) == (1...5).map { RequestID.number($0) })
        #expect(replies[0].status?.state == .idle)
        #expect(replies[2].status?.state == .running)
        #expect(replies[4].status?.state == .paused)
        #expect(try connection.send(Request(command: .status)).status?.state == .paused)
    }

    @Test("SIGTERM ends connections that only asked for status, and guided exits cleanly")
    func closedAtShutdown() throws {
        let daemon = try DaemonFixture()
        try daemon.start()
        let idle = try (0..<3).map { _ in try daemon.connect() }
        for connection in idle { #expect(try connection.send(Request(command: .status)).ok) }
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        for connection in idle { #expect(try Self.linesUntilEnd(connection).isEmpty) }
    }
}
