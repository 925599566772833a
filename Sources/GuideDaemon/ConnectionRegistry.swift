import NIOCore

/// The open connections, for the connection limit and for shutdown. Lives on the event
/// loop that serves them all (the server keeps it in a `NIOLoopBoundBox`).
///
/// At the limit a new connection does not lock everyone out while old ones sit idle:
/// the connection idle longest (every request answered and sent, no subscription, no
/// unfinished line: ``ConnectionHandler/idleSince``) is closed to make room, as an HTTP
/// server drops an idle keep-alive connection. Only when every connection is busy is
/// the new one refused. A client that sent nothing yet is not idle: it is closed by its
/// idle timeout instead.
final class ConnectionRegistry {
    private struct Entry {
        let channel: any Channel
        let handler: ConnectionHandler
    }

    private var open: [ObjectIdentifier: Entry] = [:]
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { open.count }

    enum Admission {
        case admitted
        /// Admitted after closing the longest-idle connection.
        case admittedAfterEvicting
        /// Every connection is busy.
        case full
    }

    /// Admits `channel`, served by `handler`; it leaves the registry when it closes.
    func admit(_ channel: any Channel, handler: ConnectionHandler) -> Admission {
        var admission = Admission.admitted
        if open.count >= limit {
            let idle = open.compactMap { key, entry in entry.handler.idleSince.map { (key, entry, $0) } }
            guard let (key, oldest, _) = idle.min(by: { $0.2 < $1.2 }) else { return .full }
            open.removeValue(forKey: key)
            oldest.channel.close(promise: nil)
            admission = .admittedAfterEvicting
        }
        let key = ObjectIdentifier(channel)
        open[key] = Entry(channel: channel, handler: handler)
        let registry = NIOLoopBound(self, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in registry.value.open.removeValue(forKey: key) }
        return admission
    }

    /// Closes every connection at once, whatever it has unsent (shutdown).
    func closeAll() {
        for entry in open.values { entry.channel.close(promise: nil) }
    }
}
