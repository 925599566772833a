import GuideProtocol
import NIOCore

/// What a connection's line framer hands on (to the ``RequestRouter``).
enum InboundLine: Sendable {
    /// A complete line, without its newline.
    case line([UInt8])
    /// The peer sent a line over 64 KiB: answer with an error and close.
    case tooLong
}

/// Splits a connection's bytes into lines with the 64 KiB cap, and closes connections that
/// leave a line unfinished for too long (a client must not be able to hold a slot forever
/// by sending half a line).
final class LineFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = InboundLine

    private var framer = LineFramer()
    private var failed = false
    private let idleTimeout: TimeAmount
    private var idleTimer: Scheduled<Void>?

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a channel that is already active: channelActive will not come.
        if context.channel.isActive, idleTimer == nil { armIdleTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdleTimer(context: context)  // a connection that never sends a line
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let buffer = unwrapInboundIn(data)
        do {
            let lines = try buffer.readableBytesView.withContiguousStorageIfAvailable { try framer.append($0) }
                ?? framer.append(Array(buffer.readableBytesView))
            for line in lines { context.fireChannelRead(wrapInboundOut(.line(line))) }
            if framer.hasPartialLine {
                if idleTimer == nil || !lines.isEmpty { armIdleTimer(context: context) }
            } else {
                idleTimer?.cancel()
                idleTimer = nil
            }
        } catch {
            failed = true
            idleTimer?.cancel()
            context.fireChannelRead(wrapInboundOut(.tooLong))
        }
    }

    private func armIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        let timeout = idleTimeout
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }
}
