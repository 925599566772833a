import GuideCore

/// The commands of the socket protocol (docs/protocol.md, "Commands"), one table for the
/// daemon's dispatcher, the client and the docs.
public enum Command: String, WireCodable, Sendable, CaseIterable {
    case status, start, stop, pause, resume, toggle, skip, back, list, show, reload, history, subscribe, version

    /// Whether the command needs a `session` field.
    public var needsSession: Bool { self == .start || self == .show }
}
