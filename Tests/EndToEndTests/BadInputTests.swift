import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// Nothing a client sends may crash the daemon or spoil another client's connection.
@Suite("guided and bad input")
struct BadInputTests {
    static func reply(_ connection: GuideConnection) throws -> Response {
        let line = try connection.readLine(deadline: .now + .seconds(5))
        return try WireCoding.decode(Response.self, from: line)
    }

    @Test("malformed lines get an error reply and the connection still works")
    func malformed() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        let connection = try daemon.connect()
        let cases: [([UInt8], ErrorCode, String)] = [
            (Array("{\"command\": \"status\"".utf8), .invalidRequest, "malformed JSON"),
            (Array("{\"command\": \"dance\"}".utf8), .unknownCommand, "unknown command \"dance\""),
            (Array("{\"command\": 7}".utf8), .invalidRequest, "\"command\" must be a string"),
            (Array("{\"command\": \"start\", \"session\": 5}".utf8), .invalidRequest, "\"session\" must be a string"),
            (Array("{\"command\": \"start\"}".utf8), .invalidRequest, "name a session to start"),
            (Array("{\"command\": \"status\", \"extra\": 1}".utf8), .invalidRequest, "unknown field \"extra\""),
            (Array("[1, 2]".utf8), .invalidRequest, "a request is a JSON object"),
            ([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], .invalidRequest, "invalid UTF-8"),
        ]
        for (line, code, text) in cases {
            try connection.writeAll(line + [0x0A])
            let response = try Self.reply(connection)
            #expect(!response.ok)
            #expect(response.error?.code == code, "\(String(decoding: line, as: UTF8.self))")
            #expect(response.error?.message.contains(text) == true, "\(response.error?.message ?? "")")
        }
        let id = try connection.send(Request(id: .string("after"), command: .status))
        #expect(id.ok)
        #expect(id.id == .string("after"))
    }

    @Test("a line over 64 KiB closes only that connection")
    func oversized() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        let bystander = try daemon.connect()
        _ = try bystander.send(Request(command: .status))
        let offender = try daemon.connect()
        let huge = [UInt8](repeating: 0x61, count: 70 * 1024)
        try? offender.writeAll(huge)
        let reply = try Self.reply(offender)
        #expect(reply.error?.code == .lineTooLong)
        #expect(throws: ClientError.self) { _ = try offender.readLine(deadline: .now + .seconds(5)) }
        #expect(try bystander.send(Request(command: .status)).ok)
        #expect(try daemon.request(.version).ok)
    }
}
