import GuideCore
import GuideProtocol
import Logging
import NIOCore

/// One client connection, whole: it splits the bytes into lines (64 KiB at most), answers
/// each request from the command table on the event loop that read it, and writes the
/// events of a subscribed connection — one handler, one path for every request.
///
/// **Backpressure, for every kind of request.** The channel reads only when asked
/// (`autoRead` is off): a read is requested only once every line already read has been
/// answered and while the channel is writable. A line is answered only while the channel
/// is writable, so a client that sends requests and never reads their replies fills its
/// socket, then NIO's buffer up to the high-water mark, and then the daemon stops
/// answering and reading: the requests wait in the client's own socket, not in the
/// daemon's memory. What the connection holds is bounded by one read (64 KiB), one
/// unfinished line and the high-water mark plus one reply.
///
/// Events are pushed whether the client reads or not, so they are counted instead: a
/// subscriber more than `subscriberBacklog` events behind (events still in NIO's buffer,
/// beyond what the kernel's socket buffer took), or any connection with more than
/// `maximumUnsentBytes` unsent, is closed and logged. A connection that cannot be written
/// to for `idleTimeout` (its peer stopped reading) is closed too, as is one that leaves a
/// line unfinished — or sends nothing at all — for that long.
///
/// A peer that shuts its sending side (`printf '…' | socat`) still gets every reply: the
/// connection closes once they are out (or once it stalls for `idleTimeout`). A line over
/// 64 KiB gets a `line-too-long` reply and closes the connection; a malformed line gets an
/// error reply and the connection stays usable.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Answers one request with its reply line (on the loop, isolated to the engine).
    typealias Answer = (Request, Requester) -> [UInt8]

    private let limits: SocketLimits
    private let logger: Logger
    private let answer: Answer
    /// Detaches a subscribed connection from the engine's events when it closes.
    private let detach: (ObjectIdentifier) -> Void

    private var context: ChannelHandlerContext?
    /// Bytes read and not yet taken as lines.
    private var input = ConnectionHandler.noInput
    private static let noInput = ByteBufferAllocator().buffer(capacity: 0)
    /// How many of `input`'s readable bytes are known to hold no newline.
    private var searched = 0
    private var inputClosed = false
    private var closing = false
    private var processing = false
    /// Unfinished line, or nothing sent yet: closes the connection after `idleTimeout`.
    private var lineTimer: Scheduled<Void>?
    /// Replies cannot be written (or are draining before a close): closes it after `idleTimeout`.
    private var stallTimer: Scheduled<Void>?

    /// Bytes handed to the channel in all, and where each event not yet sent ends in that
    /// count: what tells how far behind a subscriber is.
    private var written = 0
    private var eventEnds = CircularBuffer<Int>()
    private var subscribed = false
    /// When the last request was answered; nil before the first (see ``idleSince``).
    private var lastAnswered: NIODeadline?

    init(limits: SocketLimits, logger: Logger, answer: @escaping Answer, detach: @escaping (ObjectIdentifier) -> Void) {
        self.limits = limits
        self.logger = logger
        self.answer = answer
        self.detach = detach
    }

    /// This connection as a subscriber, for `subscribe` (made once, when first needed).
    private lazy var requester: Requester = {
        let bound = NIOLoopBound(self, eventLoop: context!.eventLoop)
        return Requester(
            id: ObjectIdentifier(self),
            deliver: { line in bound.value.deliver(line) },
            end: { bound.value.closeNow() })
    }()

    // MARK: - Life

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // Added to a channel that is already active: channelActive will not come.
        if context.channel.isActive { begin(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context: context)
        context.fireChannelActive()
    }

    private var begun = false

    private func begin(context: ChannelHandlerContext) {
        guard !begun else { return }
        begun = true
        armLineTimer(context: context)  // a connection that never sends a line
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        lineTimer?.cancel()
        stallTimer?.cancel()
        if subscribed {
            subscribed = false
            detach(ObjectIdentifier(self))
        }
        context.fireChannelInactive()
    }

    /// How long this connection has been idle: it has had every request answered and
    /// sent, holds no unfinished line and no subscription. Nil when it is busy, or has
    /// sent nothing yet. The server closes the longest-idle connection to make room for a
    /// new one when the connection limit is reached.
    var idleSince: NIODeadline? {
        guard let lastAnswered, !subscribed, !closing, input.readableBytes == 0, let context else { return nil }
        let pending = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        return pending == 0 ? lastAnswered : nil
    }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if closing { return }
        if input.readableBytes == 0 {
            input = bytes
            searched = 0
        } else {
            input.writeBuffer(&bytes)
        }
        answerLines(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()  // (answerLines asked for the next read already)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallTimer?.cancel()
            stallTimer = nil
            answerLines(context: context)
            readIfReady(context: context)
        } else if stallTimer == nil {
            armStallTimer(context: context, reason: "closed a connection that does not read its replies")
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // `echo status | socat …`: the peer is done sending; answer what it sent, then close.
            inputClosed = true
            answerLines(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    /// Asks for more bytes once every line read so far is answered, while replies can be
    /// written: the one place reading resumes.
    private func readIfReady(context: ChannelHandlerContext) {
        guard !closing, !inputClosed, context.channel.isWritable, !hasCompleteLine else { return }
        context.read()
    }

    private var hasCompleteLine: Bool { searched < input.readableBytes }

    // MARK: - Answering

    /// Answers the complete lines read so far, in order, while the channel is writable;
    /// the rest wait (and no more is read) until it is writable again.
    private func answerLines(context: ChannelHandlerContext) {
        guard !processing else { return }  // a writability change while we flush
        processing = true
        defer { processing = false }
        var completedLine = false
        while !closing {
            var answered = false
            while !closing, context.channel.isWritable, let line = nextLine() {
                completedLine = true
                switch line {
                case .tooLong:
                    let reply = Response.failure(ProtocolError(.lineTooLong, "line longer than 64 KiB; closing this connection"), id: nil)
                    write(WireCoding.encodeLine(reply), context: context)
                    logger.debug("closed a connection that sent an over-long line")
                    finish(context: context)
                    return
                case .line(let bytes):
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }  // blank lines are harmless
                    write(reply(to: bytes), context: context)
                    answered = true
                }
            }
            guard answered else { break }
            lastAnswered = .now()
            // The flush may make the channel writable again at once (the kernel took it all):
            // then go on here, since the writability change found us busy.
            context.flush()
            if checkUnsent(context: context) { return }
            guard context.channel.isWritable, hasCompleteLine else { break }
        }
        if closing { return }
        if hasCompleteLine { return }  // waiting for writability
        if input.readableBytes == 0 {
            input = Self.noInput  // an idle connection keeps no buffer
            lineTimer?.cancel()
            lineTimer = nil
        } else if lineTimer == nil || completedLine {
            // Half a line: it must be finished in time (trickling bytes does not reset the clock).
            armLineTimer(context: context)
        }
        if inputClosed {
            finish(context: context)
        } else {
            readIfReady(context: context)
        }
    }

    private func reply(to line: [UInt8]) -> [UInt8] {
        switch Request.parse(line: line) {
        case .failure(let failure):
            logger.debug("bad request", metadata: ["reason": "\(failure.error.message)"])
            return WireCoding.encodeLine(Response.failure(failure.error, id: failure.id))
        case .success(let request):
            if request.command == .subscribe { subscribed = true }  // (the table attaches us to the events)
            return answer(request, requester)
        }
    }

    private enum Line {
        case line([UInt8])
        case tooLong
    }

    /// The next complete line of `input` (without its newline, nor a `\r` before it), or
    /// nil if there is none yet; `.tooLong` once a line passes 64 KiB.
    private func nextLine() -> Line? {
        let newline = input.withUnsafeReadableBytes { raw in raw[searched...].firstIndex(of: 0x0A) }
        guard let newline else {
            searched = input.readableBytes
            return searched > LineFramer.maximumLineLength + 1 ? .tooLong : nil
        }
        var line = input.readBytes(length: newline)!
        input.moveReaderIndex(forwardBy: 1)
        searched = 0
        if line.last == 0x0D { line.removeLast() }
        return line.count > LineFramer.maximumLineLength ? .tooLong : .line(line)
    }

    // MARK: - Writing

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        written += bytes.count
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    /// Bytes the channel holds that the kernel has not taken yet.
    private func unsentBytes(_ context: ChannelHandlerContext) -> Int {
        (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }

    /// Closes the connection if what it has not sent passed the limit; true if it did.
    @discardableResult
    private func checkUnsent(context: ChannelHandlerContext) -> Bool {
        guard !context.channel.isWritable else { return false }  // below the high-water mark
        let unsent = unsentBytes(context)
        guard unsent > limits.maximumUnsentBytes else { return false }
        logger.warning(
            "closed a connection whose unsent replies passed the limit",
            metadata: ["unsent": "\(unsent)", "limit": "\(limits.maximumUnsentBytes)"])
        closeNow()
        return true
    }

    /// Writes one event line of a subscription; false when the subscriber fell too far
    /// behind and its connection is closed (``EventHub``).
    private func deliver(_ line: ByteBuffer) -> Bool {
        guard let context, !closing else { return false }
        written += line.readableBytes
        eventEnds.append(written)
        context.writeAndFlush(wrapOutboundOut(line), promise: nil)
        if closing { return false }  // the write failed and closed the connection
        let sent = written - unsentBytes(context)
        while let end = eventEnds.first, end <= sent { eventEnds.removeFirst() }
        if eventEnds.count > limits.subscriberBacklog {
            logger.debug("closed a subscriber that fell behind", metadata: ["events": "\(eventEnds.count)"])
            closeNow()
            return false
        }
        return !checkUnsent(context: context)
    }

    // MARK: - Closing

    /// Closes once everything written so far is out (an empty write completes after every
    /// write queued before it), or after `idleTimeout` if the peer does not read.
    private func finish(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        lineTimer?.cancel()
        let flushed = context.eventLoop.makePromise(of: Void.self)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        flushed.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        if context.channel.isActive, stallTimer == nil {
            armStallTimer(context: context, reason: "closed a connection that did not read its last replies")
        }
    }

    /// Closes at once, whatever is unsent (shutdown, a subscriber that fell behind).
    func closeNow() {
        closing = true
        context?.close(promise: nil)
    }

    private func armLineTimer(context: ChannelHandlerContext) {
        lineTimer?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        lineTimer = context.eventLoop.scheduleTask(in: limits.idleTimeout) {
            bound.value.close(promise: nil)
        }
    }

    private func armStallTimer(context: ChannelHandlerContext, reason: Logger.Message) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let logger = self.logger
        stallTimer = context.eventLoop.scheduleTask(in: limits.idleTimeout) {
            logger.debug(reason)
            bound.value.close(promise: nil)
        }
    }
}
