import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// guided answers `status` straight from the event loop (issue 8). What a client sees is
/// unchanged: replies in the order of the requests, showing every command sent before.
@Suite("guided status round trips")
struct StatusRoundTripTests {
    static func line(_ json: String) -> [UInt8] { Array(json.utf8) + [0x0A] }

    static func replies(_ connection: GuideConnection, _ count: Int) throws -> [(bytes: [UInt8], response: Response)] {
        try (0..<count).map { _ in
            let bytes = try connection.readLine(deadline: .now + .seconds(10))
            return (bytes, try WireCoding.decode(Response.self, from: bytes))
        }
    }

    /// What follows `"status":` in a reply line: the status exactly as sent.
    static func statusBytes(_ line: [UInt8]) throws -> [UInt8] {
        let key = Array(#""status":"#.utf8)
        let start = try #require((0...(line.count - key.count)).first { Array(line[$0..<($0 + key.count)]) == key })
        return Array(line[(start + key.count)...])
    }

    @Test("start then status in one write: the status reply comes second and shows the session")
    func startThenStatus() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let connection = try daemon.connect()
        try connection.writeAll(Self.line(#"{"id":1,"command":"start","session":"long"}"#) + Self.line(#"{"id":2,"command":"status"}"#))
        let replies = try Self.replies(connection, 2)
        #expect(replies[0].response.id == .number(1) && replies[0].response.ok)
        #expect(replies[1].response.id == .number(2))
        #expect(replies[1].response.status?.state == .running)
        #expect(replies[1].response.status?.session == "long")
        #expect(replies[1].response.status?.startedAt == replies[0].response.status?.startedAt)
    }

    @Test("while paused, status on its own is exactly the status the pause reply carried")
    func pausedStatus() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let connection = try daemon.connect()
        try connection.writeAll(Self.line(#"{"id":1,"command":"start","session":"long"}"#))
        _ = try Self.replies(connection, 1)
        try connection.writeAll(Self.line(#"{"id":2,"command":"pause"}"#))
        let paused = try Self.replies(connection, 1)[0]
        #expect(paused.response.status?.state == .paused)
        // Each of these is alone on the connection: answered on the event loop.
        for id in 3...5 {
            try connection.writeAll(Self.line(#"{"id":\#(id),"command":"status"}"#))
            let reply = try Self.replies(connection, 1)[0]
            #expect(reply.response.id == .number(Int64(id)))
            #expect(try Self.statusBytes(reply.bytes) == Self.statusBytes(paused.bytes))
        }
        // And from a second connection, after a resume there: running again.
        let other = try daemon.connect()
        try other.writeAll(Self.line(#"{"id":6,"command":"resume"}"#) + Self.line(#"{"id":7,"command":"status"}"#))
        let resumed = try Self.replies(other, 2)
        #expect(resumed.map(\.response.id) == [.number(6), .number(7)])
        #expect(resumed[1].response.status?.state == .running)
        try connection.writeAll(Self.line(#"{"id":8,"command":"status"}"#))
        #expect(try Self.replies(connection, 1)[0].response.status?.state == .running)
    }
}
