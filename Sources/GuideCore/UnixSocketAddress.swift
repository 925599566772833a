#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// guide's one way to fill a `sockaddr_un`, for `bind`, `connect` and `sendto`: a Unix
/// socket's path, checked against `sun_path`'s 108 bytes. A leading "@" names Linux's
/// abstract namespace (as systemd's `NOTIFY_SOCKET` may).
public struct UnixSocketAddress {
    private var address = sockaddr_un()
    private let length: socklen_t

    /// The longest path that fits, leaving room for the terminating NUL.
    public static let maximumPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// `path` as an AF_UNIX address; nil if it is empty or too long.
    public init?(path: String) {
        var bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maximumPathLength else { return nil }
        let abstract = bytes[0] == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        // An abstract name is exactly its bytes; a path may take the whole structure.
        length = abstract ? socklen_t(MemoryLayout<sa_family_t>.size + bytes.count) : socklen_t(MemoryLayout<sockaddr_un>.size)
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        var address = self.address
        let length = self.length
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}
