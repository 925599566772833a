import NIOCore

/// Turns a connection away as soon as it is active: sends `reply` (if any) and closes.
///
/// The server decides in its child-channel initializer, which runs before the channel is
/// registered with its event loop; a write or close there goes nowhere. This handler does
/// both once the channel can carry them.
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let reply: [UInt8]?
    private var done = false

    init(reply: [UInt8]?) {
        self.reply = reply
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Whatever a refused peer sends is dropped.
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        guard let reply else {
            context.close(promise: nil)
            return
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(ByteBuffer(bytes: reply))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
