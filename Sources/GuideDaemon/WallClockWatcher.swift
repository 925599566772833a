import CClockShim
import GuideCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// What changed the meaning of "now" on the wall clock.
public enum WallClockChange: String, Sendable {
    /// The wall clock was set (by hand, `timedatectl set-time`, an NTP step) or the system
    /// resumed from suspend: the kernel reports both the same way.
    case clockSet = "clock set"
    /// The local time zone changed: `/etc/localtime` was replaced, rewritten or removed.
    case timeZone = "time zone"
}

/// Tells the daemon at once when the wall clock is set, the system resumes or the time zone
/// changes, so that reminders — wall-clock times — are re-planned then, not at a later look.
///
/// Two descriptors, both watched by the engine's own event loop as NIO pipe channels
/// (`NIOPipeBootstrap.takingOwnershipOfDescriptor(input:)`, which takes any descriptor
/// that is not a file): no thread, no timer, and not one wake-up while nothing changes.
/// - A CLOCK_REALTIME timerfd armed at the end of time with `TFD_TIMER_CANCEL_ON_SET`
///   (CClockShim). It never expires; the kernel cancels it when the clock is set and on
///   resume, and its read then fails with ECANCELED. NIO closes a channel whose read
///   fails; the watcher arms a new descriptor *before* it reports, so that a second change
///   during the re-plan is not lost.
/// - inotify on the directory of `/etc/localtime` for that name (created, renamed over,
///   rewritten, removed), as systemd watches it. No time zone change fires the timerfd.
///   Not watched when `TZ` is set: glibc then never reads `/etc/localtime`.
///
/// `openClockWatch` is injectable: no test may set the machine's clock, so the tests hand
/// in a pipe and write to it as the kernel's cancellation would make the descriptor readable.
public final class WallClockWatcher: Sendable {
    /// Called on the loop after each change, with whether the clock is still watched (false
    /// only if no new timerfd could be opened: the engine then looks every few minutes).
    public typealias Observer = @Sendable (_ change: WallClockChange, _ stillWatching: Bool) -> Void

    private let loop: any EventLoop
    private let zoneFile: String?
    private let openClockWatch: @Sendable () -> Int32
    private let logger: Logger
    private let observer: Observer
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stopped = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    /// `zoneFile`: the time zone file to watch (nil: none). ``localZoneFile(environment:)``
    /// says which one the process reads.
    public init(
        loop: any EventLoop, zoneFile: String?, logger: Logger,
        openClockWatch: @escaping @Sendable () -> Int32 = { guide_clock_set_watch_open() },
        observer: @escaping Observer
    ) {
        self.loop = loop
        self.zoneFile = zoneFile
        self.openClockWatch = openClockWatch
        self.logger = logger
        self.observer = observer
    }

    /// `/etc/localtime`, unless `TZ` names the zone (then no file change matters to glibc).
    public static func localZoneFile(environment: [String: String]) -> String? {
        environment["TZ"] == nil ? "/etc/localtime" : nil
    }

    /// Starts both watches; returns whether the clock is watched (the zone file may not be,
    /// e.g. without `/etc`: that is logged, and only a zone change goes unnoticed).
    public func start() async -> Bool {
        var clockWatched = false
        let fd = openClockWatch()
        if fd < 0 {
            logger.warning("cannot watch the wall clock; reminders look again every 10 minutes", metadata: ["error": "\(SystemError(errno: -fd))"])
        } else {
            clockWatched = (try? await watch(fd, handler: .clock).get()) != nil
        }
        if let zoneFile {
            if let fd = Self.openZoneWatch(zoneFile) {
                _ = try? await watch(fd, handler: .zone(name: Self.lastComponent(zoneFile))).get()
            } else {
                logger.info("cannot watch the time zone file; a zone change is noticed at the next reminder", metadata: ["file": "\(zoneFile)", "error": "\(SystemError(errno: errno))"])
            }
        }
        return clockWatched
    }

    /// Closes both descriptors; no observer call follows.
    public func stop() async {
        let channels = state.withLockedValue { state in
            state.stopped = true
            return Array(state.channels.values)
        }
        for channel in channels { try? await channel.close() }
    }

    // MARK: - Channels

    private enum HandlerKind: Sendable {
        case clock
        case zone(name: String)
    }

    /// Registers `fd` on the loop (NIO owns it from then on; closed here if that fails).
    private func watch(_ fd: Int32, handler kind: HandlerKind) -> EventLoopFuture<any Channel> {
        let registered = NIOPipeBootstrap(group: loop)
            // One read takes a whole batch of inotify events (each may carry a 255-byte
            // name); a timerfd needs 8 bytes.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    switch kind {
                    case .clock:
                        try channel.pipeline.syncOperations.addHandler(ClockSetHandler { [self] in clockWatchEnded() })
                    case .zone(let name):
                        try channel.pipeline.syncOperations.addHandler(ZoneFileHandler(name: name) { [self] in changed(.timeZone) })
                    }
                }
            }
            .takingOwnershipOfDescriptor(input: fd)
        return registered.flatMapErrorThrowing { error in
            close(fd)
            self.logger.warning("cannot watch a descriptor on the event loop", metadata: ["error": "\(error)"])
            throw error
        }.map { channel in
            let keep = self.state.withLockedValue { state -> Bool in
                guard !state.stopped else { return false }
                state.channels[ObjectIdentifier(channel)] = channel
                return true
            }
            if !keep { channel.close(promise: nil) }
            channel.closeFuture.whenComplete { _ in
                self.state.withLockedValue { _ = $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
            }
            return channel
        }
    }

    /// The timerfd was cancelled (its channel closed): arm a new one, then report.
    private func clockWatchEnded() {
        guard !state.withLockedValue({ $0.stopped }) else { return }
        let fd = openClockWatch()
        if fd < 0 {
            logger.error("cannot watch the wall clock any more; reminders look again every 10 minutes", metadata: ["error": "\(SystemError(errno: -fd))"])
        }
        observer(.clockSet, fd >= 0)
        if fd >= 0 { _ = watch(fd, handler: .clock) }
    }

    private func changed(_ change: WallClockChange) {
        guard !state.withLockedValue({ $0.stopped }) else { return }
        observer(change, true)
    }

    // MARK: - inotify

    /// An inotify descriptor watching the directory of `file` for changes to its name; nil
    /// (errno set) when it cannot.
    static func openZoneWatch(_ file: String) -> Int32? {
        let slash = file.lastIndex(of: "/")
        let directory = slash.map { String(file[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        // Every way a file gets replaced: rename over it (timedatectl, ln -sf via a
        // temporary name), unlink and create (ln -sf), rewrite in place (cp), remove.
        let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_ONLYDIR)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let code = errno
            close(fd)
            errno = code
            return nil
        }
        return fd
    }

    static func lastComponent(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

/// Reads the clock timerfd's channel: any read (the timer expired, only possible if the
/// clock was set past the year 2262) or read error (ECANCELED: the clock was set) closes
/// it; its end is the signal.
private final class ClockSetHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let ended: () -> Void

    init(ended: @escaping () -> Void) { self.ended = ended }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)  // NIO closes it after a failed read anyway
    }

    func channelInactive(context: ChannelHandlerContext) {
        ended()
        context.fireChannelInactive()
    }
}

/// Reads inotify events and calls `changed` once per batch that names the zone file.
private final class ZoneFileHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let name: String
    private let changed: () -> Void

    init(name: String, changed: @escaping () -> Void) {
        self.name = name
        self.changed = changed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        var matched = false
        // struct inotify_event: wd, mask, cookie, len (host order), then `len` bytes of
        // NUL-padded name. A read returns whole events only.
        while buffer.readableBytes >= 16 {
            _ = buffer.readInteger(endianness: .host, as: Int32.self)
            _ = buffer.readInteger(endianness: .host, as: UInt32.self)
            _ = buffer.readInteger(endianness: .host, as: UInt32.self)
            guard let length = buffer.readInteger(endianness: .host, as: UInt32.self),
                let bytes = buffer.readBytes(length: Int(length))
            else { break }
            if bytes.prefix(while: { $0 != 0 }).elementsEqual(name.utf8) { matched = true }
        }
        if matched { changed() }
    }
}
