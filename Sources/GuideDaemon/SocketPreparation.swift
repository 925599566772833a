import FoundationEssentials
import GuideCore
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Makes the socket's directory safe and the path free before binding, as tmux and MPD do:
/// the directory is created 0700 and must belong to us (unless it is a sticky shared
/// directory such as /tmp), a stale socket left by a dead daemon is removed, and a live
/// daemon on the same path is detected and refused.
enum SocketPreparation {
    /// Prepares `path` and returns the descriptor of the held lock file (`PATH.lock`):
    /// holding an exclusive `flock` on it for the daemon's life means two daemons started
    /// at the same moment cannot both decide the socket is stale.
    static func prepare(_ path: String) throws -> Int32 {
        let directory = parentDirectory(of: path)
        try prepareDirectory(directory.isEmpty ? "." : directory)
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw DaemonError("cannot create \(lockPath): \(SystemError.current())") }
        if flock(lock, LOCK_EX | LOCK_NB) != 0 {
            close(lock)
            throw DaemonError("another guided is already running on \(path); stop it first ('guidectl status' talks to it)")
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                close(lock)
                throw DaemonError("\(path) exists and is not a socket; remove it or choose another --socket")
            }
            if isLive(path) {
                close(lock)
                throw DaemonError("another guided is already running on \(path); stop it first ('guidectl status' talks to it)")
            }
            unlink(path)  // stale: its daemon is gone
        }
        return lock
    }

    private static func prepareDirectory(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) != 0 {
            guard errno == ENOENT else {
                throw DaemonError("cannot use socket directory \(directory): \(SystemError.current())")
            }
            let parent = parentDirectory(of: directory)
            if !parent.isEmpty, parent != directory { try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                throw DaemonError("cannot create socket directory \(directory): \(SystemError.current())")
            }
            guard stat(directory, &info) == 0 else {
                throw DaemonError("cannot use socket directory \(directory): \(SystemError.current())")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonError("\(directory) is not a directory; choose another --socket")
        }
        let sharedSticky = info.st_mode & S_ISVTX != 0
        if sharedSticky { return }
        guard info.st_uid == getuid() else {
            throw DaemonError(
                "socket directory \(directory) belongs to uid \(info.st_uid), not to you (uid \(getuid())); refusing to serve there")
        }
        if info.st_mode & 0o077 != 0, directory.hasSuffix("/guide") || directory.contains("/guide-") {
            chmod(directory, 0o700)
        }
    }

    /// A listening socket bound at `path` itself, mode 0600 from the start, without
    /// touching the process's umask: the descriptor is made 0600 (`fchmod`) before `bind`,
    /// and Linux gives the socket file the mode of its descriptor (less the umask).
    ///
    /// Why not the umask: it belongs to the whole process — every thread creating a file
    /// meanwhile, and every hook started. Why not a staging name renamed into place: the
    /// kernel keeps the name a socket was bound under, so `ss -xlp` and /proc/net/unix
    /// showed `guided.sock.new`. Call with the lock held and any stale socket removed
    /// (``prepare(_:)``).
    static func listen(at path: String, backlog: Int32 = 128) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DaemonError("cannot create a socket for \(path): \(SystemError.current())") }
        do {
            guard fchmod(fd, 0o600) == 0 else { throw DaemonError("cannot set the mode of the socket for \(path): \(SystemError.current())") }
            let address = try SocketAddress(unixDomainSocketPath: path)
            guard address.withSockAddr({ Glibc.bind(fd, $0, socklen_t($1)) }) == 0 else {
                throw DaemonError("cannot bind \(path): \(SystemError.current())")
            }
            guard Glibc.listen(fd, backlog) == 0 else { throw DaemonError("cannot listen on \(path): \(SystemError.current())") }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Whether a daemon answers on `path`.
    static func isLive(_ path: String) -> Bool {
        guard let address = try? SocketAddress(unixDomainSocketPath: path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return address.withSockAddr { connect(fd, $0, socklen_t($1)) } == 0
    }
}
