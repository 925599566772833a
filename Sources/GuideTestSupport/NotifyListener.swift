import FoundationEssentials
import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for systemd's notification socket: a datagram socket that records every
/// message a daemon sends to `$NOTIFY_SOCKET`.
public final class NotifyListener: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(SystemError.current())") }
        guard let address = UnixSocketAddress(path: path) else { throw FixtureError("bind \(path): the path is too long") }
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else { throw FixtureError("bind \(path): \(SystemError.current())") }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Fills the receive queue (as a systemd that stopped reading would leave it): sends
    /// datagrams to it without blocking until the kernel refuses more. Returns how many.
    @discardableResult
    public func fill() -> Int {
        let sender = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard sender >= 0 else { return 0 }
        defer { close(sender) }
        guard let address = UnixSocketAddress(path: path) else { return 0 }
        let filler = Array("X-FILLER=1".utf8)
        var sent = 0
        while sent < 100_000 {
            let n = address.withSockaddr { sa, length in
                filler.withUnsafeBytes { sendto(sender, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), sa, length) }
            }
            if n < 0 { break }
            sent += 1
        }
        return sent
    }

    /// The next datagram, or nil after `timeout`.
    public func next(timeout: Duration = .seconds(10)) -> String? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)) == 1 else {
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    /// Messages until one satisfies `stop` (included), or nil when none came in time.
    public func messages(until stop: (String) -> Bool, timeout: Duration = .seconds(15)) -> [String] {
        var received: [String] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, let message = next(timeout: ContinuousClock.now.duration(to: deadline)) {
            received.append(message)
            if stop(message) { break }
        }
        return received
    }
}
