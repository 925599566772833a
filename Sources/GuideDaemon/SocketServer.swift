import FoundationEssentials
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
/// Everything runs on the engine's event loop (``Engine/loop``): the listening socket,
/// every connection, and the engine itself. Each connection is one ``ConnectionHandler``
/// that answers every request from the command table right where the line was read, and
/// stops reading while its replies cannot be written. Peers with another uid are closed
/// (SO_PEERCRED), connections are capped (``ConnectionRegistry``), lines are capped at
/// 64 KiB, and what a connection leaves unsent is capped (``SocketLimits``). One client's
/// error closes that client only.
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
    private var loop: any EventLoop { engine.loop }
    /// The open connections (on the loop).
    private let registry: NIOLoopBoundBox<ConnectionRegistry>
    /// Listening sockets (more than one only after the socket file was re-created).
    private let listeners = NIOLockedValueBox<[any Channel]>([])
    private let onReady: @Sendable () -> Void

    public init(
        endpoint: Endpoint, engine: Engine<C>, logger: Logger, limits: Limits = Limits(),
        onReady: @escaping @Sendable () -> Void = {}
    ) {
        self.endpoint = endpoint
        self.engine = engine
        self.logger = logger
        self.limits = limits
        self.onReady = onReady
        registry = NIOLoopBoundBox.makeBoxSendingValue(ConnectionRegistry(limit: limits.maximumConnections), as: ConnectionRegistry.self, eventLoop: engine.loop)
    }

    public var path: String {
        switch endpoint {
        case .path(let p): p
        case .activated(_, let p): p
        }
    }

    private func makeBootstrap() -> ServerBootstrap {
        ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 128)
            // Backpressure: a connection reads only when its handler asks, one buffer at a time.
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.maxMessagesPerRead, value: 1)
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
            for listener in listeners.withLockedValue({ $0 }) { listener.close(promise: nil) }
            // One may have come in since the shutdown began.
            closeConnectionsNow()
            if case .path(let path) = endpoint {
                unlink(path)
                unlink(path + ".lock")
                close(lockFD.withLockedValue { $0 })
            }
        }
        // Serves until the graceful shutdown (or cancellation), putting the socket back
        // when it is removed. At the end every connection is closed at once: one waiting
        // for a peer that does not read its replies must not hold the shutdown.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await cancelWhenGracefulShutdown {
                    // Ends when the server is cancelled (an AsyncStream's iteration does).
                    for await _ in removals {
                        guard case .path(let path) = self.endpoint, let socketWatcher else { continue }
                        if let replacement = await self.recreate(path, lockFD: lockFD, watcher: socketWatcher) {
                            self.listeners.withLockedValue { $0.append(replacement) }
                        }
                    }
                }
            } onGracefulShutdown: {
                self.closeConnectionsNow()
            }
        } onCancel: {
            self.closeConnectionsNow()
        }
    }

    /// Closes every open connection at once, even one that is draining its replies to a
    /// peer that does not read them.
    private func closeConnectionsNow() {
        let registry = self.registry
        loop.execute { registry.value.closeAll() }
    }

    /// Prepares the directory, takes the lock, removes a stale socket and listens at `path`
    /// itself, mode 0600 (``SocketPreparation/listen(at:backlog:)``).
    private func listen(on path: String) async throws -> (any Channel, Int32) {
        let lockFD = try SocketPreparation.prepare(path)
        do {
            let fd = try SocketPreparation.listen(at: path)
            do {
                return (try await makeBootstrap().withBoundSocket(fd).get(), lockFD)
            } catch {
                close(fd)
                unlink(path)
                throw DaemonError("cannot listen on \(path): \(error)")
            }
        } catch {
            close(lockFD)
            throw error
        }
    }

    /// The socket file (or its directory) was removed while we serve: nobody can connect
    /// any more, and `guidectl` would start a second daemon. Say so, and put it back.
    private func recreate(
        _ path: String, lockFD: NIOLockedValueBox<Int32>, watcher: SocketDirectoryWatcher
    ) async -> (any Channel)? {
        logger.warning("socket file removed while running; re-creating it", metadata: ["socket": "\(path)"])
        // Let a `rm -rf` of the directory finish before we put things back into it.
        try? await EventLoopClock(group: loop).sleep(for: .milliseconds(200))  // not Task.sleep: see EventLoopClock
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

    /// Checks the peer and the connection limit, then gives the connection its handler.
    /// Runs on the loop, before the channel is active.
    private func admit(_ channel: Channel) -> EventLoopFuture<Void> {
        peerUID(channel).flatMapThrowing { uid in
            let pipeline = channel.pipeline.syncOperations
            guard uid == getuid() else {
                self.logger.warning("connection refused: peer belongs to another user", metadata: ["uid": "\(uid)"])
                try pipeline.addHandler(RefusalHandler(reply: nil))
                return
            }
            let engine = self.engine
            let handler = ConnectionHandler(
                limits: self.limits, logger: self.logger,
                answer: { request, requester in engine.onLoop { $0.handle(request, from: requester).line } },
                detach: { id in engine.onLoop { $0.unsubscribe(id) } })
            switch self.registry.value.admit(channel, handler: handler) {
            case .admitted:
                break
            case .admittedAfterEvicting:
                self.logger.info("closed the longest-idle connection to admit a new one", metadata: ["limit": "\(self.limits.maximumConnections)"])
            case .full:
                self.logger.warning("connection refused: too many connections", metadata: ["limit": "\(self.limits.maximumConnections)"])
                let reply = Response.failure(
                    ProtocolError(.tooManyConnections, "the daemon already serves \(self.limits.maximumConnections) connections, none of them idle; try again later"), id: nil)
                try pipeline.addHandler(RefusalHandler(reply: WireCoding.encodeLine(reply)))
                return
            }
            try pipeline.addHandler(handler)
        }
    }

    private func peerUID(_ channel: Channel) -> EventLoopFuture<uid_t> {
        guard let provider = channel as? SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(getuid())
        }
        return provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
            .map { (credentials: PeerCredentials) in credentials.uid }
    }
}

/// The layout of Linux's `struct ucred` (SO_PEERCRED), which Swift's Glibc module does not
/// export without _GNU_SOURCE.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}
