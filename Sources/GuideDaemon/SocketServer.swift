import Foundation
import GuideCore
import GuideProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// The Unix-socket server: NDJSON requests in, replies and events out.
///
/// Each connection runs in its own child task and catches its own errors, so no client
/// can reach the accept loop, let alone stop the daemon. Peers with another uid are
/// closed (SO_PEERCRED), connections are capped, lines are capped at 64 KiB, and a
/// subscriber that stops reading is dropped once its bounded backlog is full.
///
/// `status`, the request status bars send most, is answered on the event loop that read
/// it, from the state the engine publishes (``RequestRouter``, ``StatusBoard``); every
/// other request goes through the connection's task to the engine actor, in order.
///
/// A connection gets that task (and its `NIOAsyncChannel`) only when it first sends
/// something other than a plain `status`: a `guidectl status` every second from a status
/// bar costs the daemon an accept, a read and a write, not a task, an async channel and
/// their teardown — that machinery was two thirds of the CPU time of such a connection.
public final class SocketServer<C: Clock & Sendable>: Service where C.Duration == Duration {
    public typealias Limits = SocketLimits

    public enum Endpoint: Sendable {
        /// Bind this path (and remove it on exit).
        case path(String)
        /// Serve a listening socket passed by systemd.
        case activated(fd: Int32, path: String)
    }

    private let endpoint: Endpoint
    private let engine: Engine<C>
    private let logger: Logger
    private let limits: Limits
    private let group: any EventLoopGroup
    /// Every open connection that was admitted, so that shutdown can close the ones that
    /// never needed a task (and the count for the connection cap).
    private let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    /// Listening sockets (more than one only after the socket file was re-created).
    private let listeners = NIOLockedValueBox<[any Channel]>([])
    /// Connections that sent more than plain `status` requests, to be served by a task.
    private let promoted: AsyncStream<AcceptedConnection>
    private let promotedInput: AsyncStream<AcceptedConnection>.Continuation
    private let onReady: @Sendable () -> Void

    public init(
        endpoint: Endpoint, engine: Engine<C>, logger: Logger, limits: Limits = Limits(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, onReady: @escaping @Sendable () -> Void = {}
    ) {
        self.endpoint = endpoint
        self.engine = engine
        self.logger = logger
        self.limits = limits
        self.group = group
        self.onReady = onReady
        (promoted, promotedInput) = AsyncStream<AcceptedConnection>.makeStream()
    }

    public var path: String {
        switch endpoint {
        case .path(let p): p
        case .activated(_, let p): p
        }
    }

    private func makeBootstrap() -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 256 * 1024))
            // `echo '{"command":"list"}' | socat - UNIX-CONNECT:…` shuts its side down after the
            // request: the reply must still go out.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in self.admit(channel) }
    }

    public func run() async throws {
        // The flock held on `PATH.lock` for the daemon's life (replaced if the socket is re-created).
        let lockFD = NIOLockedValueBox<Int32>(-1)
        let server: any Channel
        switch endpoint {
        case .path(let path):
            if let problem = SocketPath.problem(with: path) { throw DaemonError(problem) }
            let (listener, lock) = try await listen(on: path)
            server = listener
            lockFD.withLockedValue { $0 = lock }
        case .activated(let fd, _):
            server = try await makeBootstrap().withBoundSocket(fd).get()
        }
        listeners.withLockedValue { $0.append(server) }
        logger.info("listening", metadata: ["socket": "\(path)"])
        onReady()

        // Only a socket we bound ourselves can be put back; systemd owns an activated one.
        let (removals, removed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var watcher: SocketDirectoryWatcher?
        if case .path(let path) = endpoint {
            watcher = SocketDirectoryWatcher(socketPath: path) { removed.yield() }
            if watcher == nil { logger.debug("cannot watch the socket directory (inotify)", metadata: ["socket": "\(path)"]) }
        }
        let socketWatcher = watcher
        defer {
            socketWatcher?.stop()  // first: our own unlink below is not a removal to report
            removed.finish()
            promotedInput.finish()
            for listener in listeners.withLockedValue({ $0 }) { listener.close(promise: nil) }
            // Connections that only ever asked for a status have no task to close them, and
            // one may have come in since the shutdown began.
            closeConnectionsNow()
            if case .path(let path) = endpoint {
                unlink(path)
                unlink(path + ".lock")
                close(lockFD.withLockedValue { $0 })
            }
        }
        do {
            // A connection waiting for a peer that does not read its replies would hold the
            // shutdown for the whole drain time limit: at shutdown, close them all now.
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await cancelWhenGracefulShutdown {
                        try await withThrowingDiscardingTaskGroup { tasks in
                            tasks.addTask { await self.servePromoted() }
                            // Ends when the server is cancelled (an AsyncStream's iteration does).
                            for await _ in removals {
                                guard case .path(let path) = self.endpoint, let socketWatcher else { continue }
                                if let replacement = await self.recreate(path, lockFD: lockFD, watcher: socketWatcher) {
                                    self.listeners.withLockedValue { $0.append(replacement) }
                                }
                            }
                        }
                    }
                } onGracefulShutdown: {
                    self.closeConnectionsNow()
                }
            } onCancel: {
                self.closeConnectionsNow()
            }
        } catch is CancellationError {
            // Graceful shutdown: every connection was cancelled with the server.
        }
    }

    /// Closes every open connection at once, even one that is draining its replies to a
    /// peer that does not read them (``RequestRouter/CloseNow``).
    private func closeConnectionsNow() {
        for connection in connections.withLockedValue({ $0.values }) {
            connection.pipeline.fireUserInboundEventTriggered(RequestRouter.CloseNow())
        }
    }

    /// Prepares the directory, takes the lock and binds `path` (socket mode 0600).
    ///
    /// The socket is bound under a staging name (`PATH.new`), made 0600 and renamed into
    /// place, so no client can reach it before its mode is set: a `chmod` after binding
    /// `path` itself left a moment in which a client (and a test) met a 0700 socket. A
    /// tighter umask would do it too, but the umask belongs to the whole process — every
    /// thread creating a directory meanwhile, and every hook started. Only a path too long
    /// for the staging name is bound in place and chmod-ed (its directory is 0700 anyway).
    private func listen(on path: String) async throws -> (any Channel, Int32) {
        let lockFD = try SocketPreparation.prepare(path)
        let old = umask(0o077)
        defer { umask(old) }
        let staging = path + ".new"
        let staged = staging.utf8.count <= SocketPath.maximumLength
        do {
            // We hold the lock: a leftover staging socket is a dead daemon's.
            let server = try await makeBootstrap().bind(unixDomainSocketPath: staged ? staging : path, cleanupExistingSocketFile: true).get()
            chmod(staged ? staging : path, 0o600)
            if staged, rename(staging, path) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(staging)
                try? await server.close()
                throw DaemonError("cannot move the socket into place at \(path): \(reason)")
            }
            return (server, lockFD)
        } catch {
            close(lockFD)
            throw DaemonError("cannot listen on \(path): \(error)")
        }
    }

    /// The socket file (or its directory) was removed while we serve: nobody can connect
    /// any more, and `guidectl` would start a second daemon. Say so, and put it back.
    private func recreate(
        _ path: String, lockFD: NIOLockedValueBox<Int32>, watcher: SocketDirectoryWatcher
    ) async -> (any Channel)? {
        logger.warning("socket file removed while running; re-creating it", metadata: ["socket": "\(path)"])
        // Let a `rm -rf` of the directory finish before we put things back into it.
        try? await EventLoopClock(group: group).sleep(for: .milliseconds(200))  // not Task.sleep: see EventLoopClock
        if Task.isCancelled { return nil }
        close(lockFD.withLockedValue { fd in defer { fd = -1 }; return fd })
        do {
            let (server, lock) = try await listen(on: path)
            lockFD.withLockedValue { $0 = lock }
            watcher.rewatch()
            logger.notice("socket re-created", metadata: ["socket": "\(path)"])
            return server
        } catch {
            logger.error("cannot re-create the socket; clients cannot reach this daemon", metadata: ["socket": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// Serves each promoted connection in a child task of its own, until cancelled.
    private func servePromoted() async {
        await withDiscardingTaskGroup { tasks in
            for await connection in promoted {
                tasks.addTask { await self.serve(connection.take()) }
            }
        }
    }

    /// Checks the peer and the connection cap, then sets up line framing and the router
    /// that answers `status` on the event loop and promotes the connection to a task
    /// when it sends anything else.
    private func admit(_ channel: Channel) -> EventLoopFuture<Void> {
        let key = ObjectIdentifier(channel)
        let over = connections.withLockedValue { open -> Bool in
            if open.count >= limits.maximumConnections { return true }
            open[key] = channel
            return false
        }
        if over {
            logger.warning("connection refused: too many connections", metadata: ["limit": "\(limits.maximumConnections)"])
            let reply = Response.failure(
                ProtocolError(.tooManyConnections, "the daemon already serves \(limits.maximumConnections) connections; try again later"), id: nil)
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RefusalHandler(reply: WireCoding.encodeLine(reply)))
            }
        }
        channel.closeFuture.whenComplete { [connections] _ in connections.withLockedValue { _ = $0.removeValue(forKey: key) } }
        return peerUID(channel).flatMapThrowing { uid in
            guard uid == getuid() else {
                self.logger.warning("connection refused: peer belongs to another user", metadata: ["uid": "\(uid)"])
                try channel.pipeline.syncOperations.addHandler(RefusalHandler(reply: nil))
                return
            }
            try channel.pipeline.syncOperations.addHandler(LineFrameHandler(idleTimeout: self.limits.idleTimeout))
            let engine = self.engine
            try channel.pipeline.syncOperations.addHandler(
                RequestRouter(
                    status: { engine.publishedStatus }, drainTimeLimit: self.limits.idleTimeout,
                    promote: { channel in try self.promote(channel) }))
        }
    }

    /// Gives `channel` its async channel, on the event loop, and hands it to
    /// ``servePromoted()``. The router calls this before it passes on the first request
    /// that is not a plain `status`, so that request reaches the async channel's handler.
    private func promote(_ channel: any Channel) throws {
        let connection = AcceptedConnection(
            try NIOAsyncChannel<InboundRequest, OutboundLine>(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: false)))
        // After shutdown the stream is finished: the connection is dropped, which closes it.
        promotedInput.yield(connection)
    }

    private func peerUID(_ channel: Channel) -> EventLoopFuture<uid_t> {
        guard let provider = channel as? SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(getuid())
        }
        return provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
            .map { (credentials: PeerCredentials) in credentials.uid }
    }

    /// Answers one connection's requests in order until it closes. Plain `status` requests
    /// were answered on the event loop already (``RequestRouter``); the rest come here.
    private func serve(_ connection: NIOAsyncChannel<InboundRequest, OutboundLine>) async {
        var subscription: (id: Int, forwarder: Task<Void, Never>)?
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await item in inbound {
                    let request: Request
                    switch item {
                    case .tooLong:
                        let reply = Response.failure(
                            ProtocolError(.lineTooLong, "line longer than 64 KiB; closing this connection"), id: nil)
                        try await outbound.write(.reply(ByteBuffer(bytes: WireCoding.encodeLine(reply))))
                        try await outbound.write(.drainThenClose)
                        logger.debug("closed a connection that sent an over-long line")
                        return
                    case .malformed(let failure):
                        logger.debug("bad request", metadata: ["reason": "\(failure.error.message)"])
                        try await outbound.write(.reply(ByteBuffer(bytes: WireCoding.encodeLine(Response.failure(failure.error, id: failure.id)))))
                        continue
                    case .request(let parsed):
                        request = parsed
                    }
                    if request.command == .subscribe, subscription == nil {
                        let channel = connection.channel
                        let (id, lines) = await engine.subscribe(backlog: limits.subscriberBacklog) {
                            // Fell a whole backlog behind: close now rather than let the writer
                            // go on draining the queue into a socket nobody reads.
                            channel.close(promise: nil)
                        }
                        let reply = await engine.handle(request)
                        try await outbound.write(.reply(ByteBuffer(bytes: StatusReply.line(for: reply))))
                        let forwarder = Task {
                            for await line in lines {
                                do {
                                    try await outbound.write(.event(ByteBuffer(bytes: line)))
                                } catch {
                                    break
                                }
                            }
                            // The hub let go of us (backlog full, or shutdown): end the connection.
                            channel.close(promise: nil)
                        }
                        subscription = (id, forwarder)
                        continue
                    }
                    let reply = await engine.handle(request)
                    try await outbound.write(.reply(ByteBuffer(bytes: StatusReply.line(for: reply))))
                }
                // The peer is done sending: let the replies reach it before the close.
                try await outbound.write(.drainThenClose)
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
        if let subscription {
            subscription.forwarder.cancel()
            await engine.unsubscribe(subscription.id)
        }
    }
}

/// The layout of Linux's `struct ucred` (SO_PEERCRED), which Swift's Glibc module does not
/// export without _GNU_SOURCE.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}
