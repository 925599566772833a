import GuideProtocol

/// Fans events out to subscribers. Each subscriber gets a bounded queue: a subscriber
/// that stops reading is dropped once its queue is full, so a stuck client can never
/// grow the daemon's memory or slow anybody else down.
struct EventHub {
    /// Events a subscriber may fall behind by before it is dropped.
    static let backlogLimit = 1024

    private var subscribers: [Int: AsyncStream<[UInt8]>.Continuation] = [:]
    private var nextID = 0

    var count: Int { subscribers.count }

    /// A new subscriber's id and event lines.
    mutating func add() -> (id: Int, lines: AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(EventHub.backlogLimit))
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        return (id, stream)
    }

    mutating func remove(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Sends `event` to everyone; returns how many subscribers were dropped for lagging.
    mutating func publish(_ event: Event) -> Int {
        guard !subscribers.isEmpty else { return 0 }
        let line = WireCoding.encodeLine(event)
        var dropped: [Int] = []
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(line) { dropped.append(id) }
        }
        for id in dropped { remove(id) }
        return dropped.count
    }

    mutating func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
