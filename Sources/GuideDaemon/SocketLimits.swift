import NIOCore

/// What one client may hold of the daemon: a connection slot, an unfinished line, unsent
/// replies, a backlog of unread events. Defaults are for real use; `guided`'s hidden flags
/// lower them so that tests can reach them in milliseconds.
public struct SocketLimits: Sendable {
    /// Concurrent connections. When they are all taken, a new one closes the connection
    /// that has been idle longest (every request answered and sent, no subscription, no
    /// unfinished line); when none is idle, it gets a `too-many-connections` line and is
    /// closed.
    public var maximumConnections = 256
    /// How long a connection may leave a line unfinished (or send nothing at all), or
    /// leave its replies unread while the daemon cannot write them.
    public var idleTimeout = TimeAmount.seconds(30)
    /// Events a subscriber may fall behind by (beyond what the socket buffers hold) before
    /// it is dropped and its connection closed.
    public var subscriberBacklog = 1024
    /// Bytes of replies and events a connection may leave unsent (beyond what the kernel's
    /// socket buffer took) before it is closed: MPD's `max_output_buffer_size`. Reading
    /// stops long before for requests (at NIO's 256 KiB high-water mark); this bounds what
    /// events and one very long reply can add.
    public var maximumUnsentBytes = 8 * 1024 * 1024

    public init() {}
}
