import GuideCore

/// Every error the daemon can answer with, as stable strings that scripts may match on.
/// Listed once here and in README.md; add codes, never rename them (bump
/// ``ProtocolVersion/current`` if a reply's meaning changes).
public enum ErrorCode: String, WireCodable, Sendable, CaseIterable {
    /// The line is not JSON, not an object, or a field has the wrong type.
    case invalidRequest = "invalid-request"
    /// `command` names no command.
    case unknownCommand = "unknown-command"
    /// The session name is not a valid name (`^[a-z0-9][a-z0-9-]{0,63}$`).
    case invalidName = "invalid-name"
    /// No session by that name in the library.
    case unknownSession = "unknown-session"
    /// A session is running and `replace` was not set.
    case busy
    /// The command needs a running (or paused) session and there is none.
    case notRunning = "not-running"
    /// The command does not apply in the current state (e.g. `resume` while running).
    case invalidState = "invalid-state"
    /// The line was longer than 64 KiB; the connection is closed.
    case lineTooLong = "line-too-long"
    /// The daemon has too many connections; try again later.
    case tooManyConnections = "too-many-connections"
    /// Something failed inside the daemon (e.g. the history file could not be read).
    case `internal`
}

/// The error part of a failed reply.
public struct ProtocolError: Sendable, Equatable, Error, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension ProtocolError: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("code", code)
        w.field("message", message)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(try o.value("code"), try o.value("message"))
    }
}

/// The wire protocol version, answered by `version`.
public enum ProtocolVersion {
    public static let current = 1
}
