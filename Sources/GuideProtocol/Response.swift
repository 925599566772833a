import GuideCore

/// One reply line: `{"id": 7, "ok": true, "status": {...}}` or
/// `{"id": 7, "ok": false, "error": {"code": "unknown-session", "message": "..."}}`.
/// Only the fields a command answers with are present.
public struct Response: Sendable, Equatable {
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
        history: [HistoryEntry]? = nil, version: VersionInfo? = nil, schedule: ScheduleListing? = nil,
        reminder: ReminderNotice? = nil, reminders: [ReminderRecord]? = nil
    ) {
        self.schedule = schedule
        self.reminder = reminder
        self.reminders = reminders
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

/// A reply line: keys in byte order, fields a command does not answer with left out.
extension Response: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("error", error)
        w.fieldIfPresent("errors", errors)
        w.fieldIfPresent("history", history)
        w.fieldIfPresent("id", id)
        w.field("ok", ok)
        w.fieldIfPresent("reminder", reminder)
        w.fieldIfPresent("reminders", reminders)
        w.fieldIfPresent("schedule", schedule)
        w.fieldIfPresent("session", session)
        w.fieldIfPresent("sessions", sessions)
        w.fieldIfPresent("status", status)
        w.fieldIfPresent("version", version)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            id: try o.optional("id"), ok: try o.value("ok"), error: try o.optional("error"), status: try o.optional("status"),
            sessions: try o.optional("sessions"), errors: try o.optional("errors"), session: try o.optional("session"),
            history: try o.optional("history"), version: try o.optional("version"), schedule: try o.optional("schedule"),
            reminder: try o.optional("reminder"), reminders: try o.optional("reminders"))
    }
}

/// A session in `list`.
public struct SessionSummary: Sendable, Equatable {
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

extension SessionSummary: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("steps", steps)
        w.field("title", title)
        w.field("total", total)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(name: try o.value("name"), title: try o.value("title"), steps: try o.value("steps"), total: try o.value("total"))
    }
}

/// A session file that failed to load, and why.
public struct FileError: Sendable, Equatable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
}

extension FileError: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("file", file)
        w.field("message", message)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(file: try o.value("file"), message: try o.value("message"))
    }
}

/// `version`: the daemon's and the protocol's versions, and the daemon's process id (so
/// scripts and tests can signal the daemon they talk to, as with `systemctl --user kill`).
public struct VersionInfo: Sendable, Equatable {
    public var daemon: String
    public var `protocol`: Int
    public var pid: Int32?

    public init(daemon: String, protocol: Int = ProtocolVersion.current, pid: Int32? = nil) {
        self.daemon = daemon
        self.protocol = `protocol`
        self.pid = pid
    }
}

extension VersionInfo: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("daemon", daemon)
        w.fieldIfPresent("pid", pid)
        w.field("protocol", `protocol`)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(daemon: try o.value("daemon"), protocol: try o.value("protocol"), pid: try o.optional("pid"))
    }
}

/// The version of guide, shown by `version` and `--version`.
public enum GuideVersion {
    public static let current = "0.1.0"
}
