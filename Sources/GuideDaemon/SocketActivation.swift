#if canImport(Glibc)
import Glibc
#endif

/// systemd socket activation (sd_listen_fds(3)): with `LISTEN_PID` equal to our pid and
/// `LISTEN_FDS` ≥ 1, descriptor 3 is a socket systemd already bound for us.
public enum SocketActivation {
    /// The passed listening socket, checked to be a listening AF_UNIX stream socket; nil
    /// when the daemon was not socket-activated.
    public static func listeningSocket(environment: [String: String]) throws -> Int32? {
        guard let pid = environment["LISTEN_PID"], let count = environment["LISTEN_FDS"] else { return nil }
        guard Int32(pid) == getpid() else { return nil }
        guard let n = Int(count), n >= 1 else { return nil }
        let fd: Int32 = 3
        func option(_ name: Int32) -> Int32? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        guard option(SO_TYPE) == Int32(SOCK_STREAM.rawValue), option(SO_DOMAIN) == AF_UNIX, option(SO_ACCEPTCONN) == 1 else {
            throw DaemonError("the socket passed by systemd (fd 3) is not a listening Unix stream socket; check guided.socket")
        }
        // Do not pass these on to anything we start.
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        let flags = fcntl(fd, F_GETFD)
        _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
        return fd
    }
}
