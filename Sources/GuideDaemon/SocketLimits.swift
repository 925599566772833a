import NIOCore

/// What one client may hold of the daemon: a connection slot, an unfinished line, a
/// backlog of unread events. Defaults are for real use; `guided`'s hidden flags lower
/// them so that tests can reach them in milliseconds.
public struct SocketLimits: Sendable {
    /// Concurrent connections; the next one gets a `too-many-connections` line and is closed.
    public var maximumConnections = 256
    /// How long a connection may leave a line unfinished (or send nothing at all).
    public var idleTimeout = TimeAmount.seconds(30)
    /// Events a subscriber may fall behind by (beyond what the socket buffers hold) before
    /// it is dropped and its connection closed.
    public var subscriberBacklog = 1024

    public init() {}
}
