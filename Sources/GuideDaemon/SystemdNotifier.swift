import FoundationEssentials
import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) without libsystemd: one datagram per message to `$NOTIFY_SOCKET`
/// (a path, or an abstract name written with a leading `@`). Without `NOTIFY_SOCKET`
/// (not started by systemd) every call does nothing.
///
/// Sent with `MSG_DONTWAIT`: the daemon notifies from its one event loop, and a blocking
/// `sendto` to a receiver whose queue is full (a wedged or stopped systemd, a test that
/// never reads) would stop every client's requests with it. A message that cannot be
/// queued at once is dropped; the next one carries the current state again.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
    }

    /// The watchdog interval systemd asked for (`WATCHDOG_USEC`, when `WATCHDOG_PID` is ours or unset).
    public static func watchdogInterval(environment: [String: String]) -> Duration? {
        if let pid = environment["WATCHDOG_PID"], Int32(pid) != getpid() { return nil }
        guard let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        return .microseconds(usec)
    }

    /// Sends `state` (e.g. `READY=1\nSTATUS=idle`) without ever blocking; false if it could
    /// not be sent at once (no receiver, or its queue is full).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let address = UnixSocketAddress(path: socketPath) else { return false }  // "@…": abstract namespace
        let message = Array(state.utf8)
        let sent = address.withSockaddr { sa, length in
            message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sa, length) }
        }
        return sent == message.count
    }

    /// CLOCK_MONOTONIC in microseconds, for `RELOADING=1` + `MONOTONIC_USEC=`.
    public static func monotonicMicroseconds() -> Int64 {
        MonotonicTime.nanoseconds() / 1000
    }
}
