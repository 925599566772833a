import GuideCore

/// The commands of the socket protocol (docs/protocol.md, "Commands"), one table for the
/// daemon's dispatcher, the client and the docs.
public enum Command: String, WireCodable, Sendable, CaseIterable {
    case status, start, stop, pause, resume, toggle, skip, back, list, show, reload, history, subscribe, version
    // Reminders (DESIGN.md §7): their handlers live in GuideDaemon/Engine+Schedule.swift.
    case schedule, done, snooze, quiet

    /// Whether the command needs a `session` field.
    /// (`start` without one starts the routine a reminder announced last.)
    public var needsSession: Bool { self == .show }
}
