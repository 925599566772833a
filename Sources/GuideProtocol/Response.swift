import GuideCore

/// One reply line: `{"id": 7, "ok": true, "status": {...}}` or
/// `{"id": 7, "ok": false, "error": {"code": "unknown-session", "message": "..."}}`.
/// Only the fields a command answers with are present.
public struct Response: Codable, Sendable, Equatable {
    public var id: RequestID?
    public var ok: Bool
    public var error: ProtocolError?
    public var status: Status?
    /// `list`: the sessions that loaded.
    public var sessions: [SessionSummary]?
    /// `list` and `reload`: the files that failed to load.
    public var errors: [FileError]?
    /// `show`: the session and its expanded timeline.
    public var session: SessionDetail?
    /// `history`: the newest entries, oldest first.
    public var history: [HistoryEntry]?
    /// `version`.
    public var version: VersionInfo?
    /// `schedule`, and `quiet` (the listing as it now stands).
    public var schedule: ScheduleListing?
    /// `done` and `snooze`: the outcome recorded.
    public var reminder: ReminderNotice?
    /// `history`: the newest reminder outcomes, oldest first (as many as `limit`).
    public var reminders: [ReminderRecord]?

    public init(
        id: RequestID? = nil, ok: Bool = true, error: ProtocolError? = nil, status: Status? = nil,
        sessions: [SessionSummary]? = nil, errors: [FileError]? = nil, session: SessionDetail? = nil,
        history: [HistoryEntry]? = nil, version: VersionInfo? = nil
    ) {
        self.id = id
        self.ok = ok
        self.error = error
        self.status = status
        self.sessions = sessions
        self.errors = errors
        self.session = session
        self.history = history
        self.version = version
    }

    public static func failure(_ error: ProtocolError, id: RequestID?) -> Response {
        Response(id: id, ok: false, error: error)
    }
}

/// A session in `list`.
public struct SessionSummary: Codable, Sendable, Equatable {
    public var name: String
    public var title: String
    /// Number of steps.
    public var steps: Int
    /// Length in seconds.
    public var total: Double

    public init(name: String, title: String, steps: Int, total: Double) {
        self.name = name
        self.title = title
        self.steps = steps
        self.total = total
    }

    public init(_ session: Session) {
        self.init(
            name: session.name, title: session.title, steps: session.steps.count,
            total: Timeline.totalDuration(of: session).seconds)
    }
}

/// A session file that failed to load, and why.
public struct FileError: Codable, Sendable, Equatable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
}

/// `version`: the daemon's and the protocol's versions, and the daemon's process id (so
/// scripts and tests can signal the daemon they talk to, as with `systemctl --user kill`).
public struct VersionInfo: Codable, Sendable, Equatable {
    public var daemon: String
    public var `protocol`: Int
    public var pid: Int32?

    public init(daemon: String, protocol: Int = ProtocolVersion.current, pid: Int32? = nil) {
        self.daemon = daemon
        self.protocol = `protocol`
        self.pid = pid
    }
}

/// The version of guide, shown by `version` and `--version`.
public enum GuideVersion {
    public static let current = "0.1.0"
}
