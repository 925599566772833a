import NIOConcurrencyHelpers
import NIOCore

/// A connection promoted to a request loop, on its way from the event loop to the task
/// that serves it (``SocketServer``).
///
/// Why a wrapper: when the daemon stops while a connection is being handed over, the
/// hand-over stream drops it, and a `NIOAsyncChannel` dropped before `executeThenClose`
/// traps ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2813) — a SIGTERM
/// then killed the daemon before it wrote its history. Dropped unserved, this finishes
/// the writer and closes the connection instead.
final class AcceptedConnection: Sendable {
    private let channel: NIOAsyncChannel<InboundRequest, OutboundLine>
    private let taken = NIOLockedValueBox(false)

    init(_ channel: NIOAsyncChannel<InboundRequest, OutboundLine>) {
        self.channel = channel
    }

    /// The connection, for `executeThenClose`, which finishes and closes it itself.
    func take() -> NIOAsyncChannel<InboundRequest, OutboundLine> {
        taken.withLockedValue { $0 = true }
        return channel
    }

    deinit {
        guard !taken.withLockedValue({ $0 }) else { return }
        channel.outbound.finish()
        channel.channel.close(promise: nil)
    }
}
