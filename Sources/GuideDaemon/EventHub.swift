import GuideProtocol
import NIOCore

/// Fans events out to subscribers: the connections that sent `subscribe`.
///
/// Everything here runs on the daemon's event loop (the ``Engine``'s executor), where the
/// connections live too, so publishing is a plain loop over them: each event is encoded
/// once and the same bytes are written to every subscriber's channel at once. No queue
/// grows here. A subscriber that stops reading is its connection's business: it counts
/// what it has not sent yet and, past the backlog or byte limit (``SocketLimits``),
/// closes itself and answers `false`, and the hub forgets it.
///
/// A class, not a struct in the engine: a connection that closes while an event is being
/// delivered (its write failed) detaches itself from inside `publish`, which a struct's
/// exclusive access would forbid.
final class EventHub {
    /// Events a subscriber may fall behind by before it is dropped, unless told otherwise.
    static let backlogLimit = 1024

    /// One subscribed connection.
    struct Subscriber: Sendable {
        /// Writes one event line; false when the subscriber had to be dropped for falling
        /// behind (its connection is closing).
        var deliver: @Sendable (ByteBuffer) -> Bool
        /// Ends the subscription from the daemon's side (shutdown): closes the connection.
        var end: @Sendable () -> Void
    }

    private var subscribers: [ObjectIdentifier: Subscriber] = [:]
    private let allocator = ByteBufferAllocator()

    var count: Int { subscribers.count }

    /// Adds a subscriber under `id` (its connection's identity); a second `subscribe` on
    /// the same connection changes nothing.
    func add(_ id: ObjectIdentifier, _ subscriber: Subscriber) {
        if subscribers[id] == nil { subscribers[id] = subscriber }
    }

    func remove(_ id: ObjectIdentifier) {
        subscribers.removeValue(forKey: id)
    }

    /// Sends `event` to everyone; returns how many subscribers were dropped for lagging.
    func publish(_ event: Event) -> Int {
        guard !subscribers.isEmpty else { return 0 }
        let line = WireCoding.encodeLine(event)
        var buffer = allocator.buffer(capacity: line.count)
        buffer.writeBytes(line)
        var dropped: [ObjectIdentifier] = []
        for (id, subscriber) in subscribers where !subscriber.deliver(buffer) {  // a copy: it may change meanwhile
            dropped.append(id)
        }
        for id in dropped { subscribers.removeValue(forKey: id) }
        return dropped.count
    }

    /// Ends every subscription (shutdown).
    func finishAll() {
        let ending = subscribers.values
        subscribers.removeAll()
        for subscriber in ending { subscriber.end() }
    }
}
