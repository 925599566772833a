#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon listens (docs/protocol.md, "Connecting"), decided the same way by `guided` and its clients.
public enum SocketPath {
    /// Linux's `sun_path` holds 108 bytes with the terminating NUL, but SwiftNIO (and
    /// macOS) bind at most 103; a longer path would pass here and then fail in NIO with an
    /// error name instead of this message.
    public static let maximumLength = 103

    /// `--socket`, else `GUIDE_SOCKET`, else `$XDG_RUNTIME_DIR/guide/guided.sock`, else
    /// `/tmp/guide-$UID/guided.sock`.
    public static func resolve(explicit: String? = nil, environment: [String: String]) -> String {
        resolve(explicit: explicit, variable: { environment[$0] })
    }

    /// ``resolve(explicit:environment:)`` reading each variable with `variable` (e.g.
    /// `getenv`) rather than from a dictionary of them all.
    public static func resolve(explicit: String? = nil, variable: (String) -> String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let path = variable("GUIDE_SOCKET"), !path.isEmpty { return path }
        if let runtime = variable("XDG_RUNTIME_DIR"), runtime.hasPrefix("/") {
            return runtime + "/guide/guided.sock"
        }
        return "/tmp/guide-\(getuid())/guided.sock"
    }

    /// One line saying why `path` cannot be a socket path, or nil.
    public static func problem(with path: String) -> String? {
        if path.utf8.count > maximumLength {
            return "socket path is \(path.utf8.count) bytes long; Unix sockets allow at most \(maximumLength) (choose a shorter --socket)"
        }
        if path.utf8.contains(0) { return "socket path contains a NUL byte" }
        return nil
    }
}
