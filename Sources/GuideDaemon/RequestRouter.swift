import GuideCore
import GuideProtocol
import NIOCore

/// What a connection's request loop gets, in the order the lines came.
enum InboundRequest: Sendable {
    case request(Request)
    /// A line that is not a valid request: answered with this error.
    case malformed(RequestParseError)
    /// The peer sent a line over 64 KiB: answer with an error and close.
    case tooLong
}

/// What a connection's request loop writes.
enum OutboundLine: Sendable {
    /// The reply to one request the loop was handed (exactly one per request).
    case reply(ByteBuffer)
    /// An event line for a subscriber.
    case event(ByteBuffer)
    /// The loop is done with the connection: close it once everything written before has
    /// gone out (``RequestRouter``).
    case drainThenClose
}

/// Parses each line on the event loop and answers plain `status` requests right there,
/// from the engine's published state (``StatusBoard``), without the hop to a task, to
/// the engine actor and back; everything else goes on to the connection's request loop.
///
/// Replies keep the order of the requests: a `status` is answered here only while no
/// earlier request of this connection is still waiting for its reply (a pipelined
/// `start` then `status` both go to the loop, which answers them in turn, so the status
/// shows the started session). The loop's replies pass back through ``write`` on their
/// way out, which is where they stop counting as in flight. A connection that does not
/// read its replies is not answered here either once its send buffer is full, so the
/// loop's backpressure (it stops reading) still applies.
///
/// The loop itself is created only when first needed: `promote` gives the channel its
/// async channel (whose handler lands after this one) just before the first request
/// that is not a plain `status` is passed on. Until then this handler is the whole
/// connection, so it also closes it when the peer shuts its side down.
///
/// A connection ends only once its replies are out: `printf '…' | socat` shuts its side
/// and reads the replies afterwards, and a close with writes still queued (the socket
/// full) would drop them. So the end drains first — up to `drainTimeLimit`, for a peer
/// that never reads — and a `close` that arrives meanwhile (the loop's
/// `executeThenClose`) waits for it. A close while no drain runs (a subscriber dropped
/// for falling behind, shutdown) is immediate.
final class RequestRouter: ChannelDuplexHandler {
    typealias InboundIn = InboundLine
    typealias InboundOut = InboundRequest
    typealias OutboundIn = OutboundLine
    typealias OutboundOut = ByteBuffer

    private let status: @Sendable () -> Status
    private let promote: (any Channel) throws -> Void
    private let drainTimeLimit: TimeAmount
    /// Whether the connection has its request loop.
    private var promoted = false
    /// Set once the connection is closing after its replies: completes when they are out.
    private var draining: EventLoopFuture<Void>?
    /// Requests handed to the loop whose replies have not come back through `write`.
    private var inFlight = 0
    /// Replies written here since the last flush (flushed once per read batch).
    private var unflushed = false

    init(
        status: @escaping @Sendable () -> Status, drainTimeLimit: TimeAmount = .seconds(30),
        promote: @escaping (any Channel) throws -> Void
    ) {
        self.status = status
        self.drainTimeLimit = drainTimeLimit
        self.promote = promote
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .tooLong:
            forward(.tooLong, context: context)
        case .line(let bytes):
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }  // blank lines are harmless
            switch Request.parse(line: bytes) {
            case .failure(let failure):
                forward(.malformed(failure), context: context)
            case .success(let request):
                guard request.command == .status, inFlight == 0, context.channel.isWritable else {
                    forward(.request(request), context: context)
                    return
                }
                let line = StatusReply.line(id: request.id, status: status())
                var buffer = context.channel.allocator.buffer(capacity: line.count)
                buffer.writeBytes(line)
                context.write(wrapOutboundOut(buffer), promise: nil)
                unflushed = true
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .reply(let buffer):
            inFlight -= 1
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .event(let buffer):
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .drainThenClose:
            drainThenClose(context: context)
            promise?.succeed()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard let draining, mode == .all else {
            context.close(mode: mode, promise: promise)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        draining.whenComplete { _ in bound.value.close(mode: mode, promise: promise) }
    }

    /// Closes the connection once everything written so far is out, or after the time
    /// limit. An empty write completes after every write queued before it.
    private func drainThenClose(context: ChannelHandlerContext) {
        guard draining == nil else { return }
        let flushed = context.eventLoop.makePromise(of: Void.self)
        draining = flushed.futureResult
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let done = NIOLoopBoundBox(false, eventLoop: context.eventLoop)
        flushed.futureResult.whenComplete { _ in
            done.value = true
            bound.value.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        // Usually out at once; only a full socket needs the time limit (and its timer).
        if !done.value {
            let limit = context.eventLoop.scheduleTask(in: drainTimeLimit) { bound.value.close(promise: nil) }
            flushed.futureResult.whenComplete { _ in limit.cancel() }
        }
    }

    /// Sent through the pipeline at shutdown: close now, drain or not.
    struct CloseNow {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is CloseNow {
            context.close(promise: nil)  // from this context, so not through `close` above: no waiting
            return
        }
        if !promoted, let event = event as? ChannelEvent, event == .inputClosed {
            // `echo status | socat …`: the peer is done sending, and no loop will end this
            // connection.
            drainThenClose(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func forward(_ request: InboundRequest, context: ChannelHandlerContext) {
        if !promoted {
            promoted = true
            do {
                try promote(context.channel)
            } catch {
                context.close(promise: nil)
                return
            }
        }
        inFlight += 1
        context.fireChannelRead(wrapInboundOut(request))
    }
}
