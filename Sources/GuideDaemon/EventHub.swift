import GuideProtocol

/// Fans events out to subscribers. Each subscriber gets a bounded queue: a subscriber
/// that stops reading is dropped once its queue is full, so a stuck client can never
/// grow the daemon's memory or slow anybody else down.
///
/// Publishing never waits: each line is encoded once and `yield`ed into every
/// subscriber's `AsyncStream` (bufferingOldest), whose writer task forwards it at the
/// pace the socket allows. When a queue is full the subscriber is removed and its
/// `onDrop` runs — the server closes the connection there, at once, instead of letting
/// the writer drain a backlog to a client that does not read.
struct EventHub {
    /// Events a subscriber may fall behind by before it is dropped, unless told otherwise.
    static let backlogLimit = 1024

    private struct Subscriber {
        var continuation: AsyncStream<[UInt8]>.Continuation
        var onDrop: @Sendable () -> Void
    }

    private var subscribers: [Int: Subscriber] = [:]
    private var nextID = 0

    var count: Int { subscribers.count }

    /// A new subscriber's id and event lines; `onDrop` is called if it falls `backlog`
    /// events behind.
    mutating func add(backlog: Int = EventHub.backlogLimit, onDrop: @escaping @Sendable () -> Void = {}) -> (id: Int, lines: AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(max(1, backlog)))
        let id = nextID
        nextID += 1
        subscribers[id] = Subscriber(continuation: continuation, onDrop: onDrop)
        return (id, stream)
    }

    mutating func remove(_ id: Int) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Sends `event` to everyone; returns how many subscribers were dropped for lagging.
    mutating func publish(_ event: Event) -> Int {
        guard !subscribers.isEmpty else { return 0 }
        let line = WireCoding.encodeLine(event)
        var dropped: [Int] = []
        for (id, subscriber) in subscribers {
            if case .dropped = subscriber.continuation.yield(line) { dropped.append(id) }
        }
        for id in dropped {
            let onDrop = subscribers[id]?.onDrop
            remove(id)
            onDrop?()
        }
        return dropped.count
    }

    mutating func finishAll() {
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
    }
}
