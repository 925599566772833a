import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per state directory: an exclusive `flock` on `STATE/guided.lock`, held for
/// the daemon's life and taken before any state file (the crash snapshot, the history) is
/// read or written.
///
/// The socket has a lock of its own, but it is taken later (when the server binds), and
/// two daemons may share a state directory without sharing a socket (one by hand beside
/// the service). Without this lock the second one restored and then "abandoned" the first
/// one's live session: a false history line and its snapshot deleted.
///
/// The file holds the holder's pid, only so that the refusal can name it; the lock itself
/// is the `flock`, which the kernel drops when the daemon dies however it dies, so a
/// stale file never keeps a new daemon out.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock file's name inside the state directory.
    public static let fileName = "guided.lock"

    /// What ``acquire(directory:)`` got.
    public enum Outcome {
        /// Held until the value goes away (the daemon's life).
        case locked(StateLock)
        /// The directory cannot hold a lock file (not creatable, read-only): nothing can be
        /// written there either, so there is no state to protect. Sessions still run; the
        /// reason is for a warning.
        case unusable(String)
    }

    /// Takes the lock of `directory` (created 0700 if needed). Throws only when another
    /// daemon holds it: one line that names the directory and, when it can, the holder's pid.
    public static func acquire(directory: String) throws(DaemonError) -> Outcome {
        var built = ""
        for component in directory.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o700) != 0, errno != EEXIST {
                return .unusable("cannot create \(built): \(SystemError.current())")
            }
        }
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return .unusable("cannot open \(path): \(SystemError.current())") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = holderPID(fd)
            close(fd)
            guard reason == EWOULDBLOCK else { return .unusable("cannot lock \(path): \(SystemError(errno: reason))") }
            let who = holder.map { "another guided (pid \($0))" } ?? "another guided"
            throw DaemonError("\(who) is already using the state directory \(directory); stop it first ('guidectl status' talks to it)")
        }
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return .locked(StateLock(path: path, descriptor: fd))
    }

    /// The pid written by the lock's holder, if the file holds one.
    private static func holderPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let digits = buffer[0..<count].prefix { (0x30...0x39).contains($0) }
        return Int32(String(decoding: digits, as: UTF8.self)).flatMap { $0 > 0 ? $0 : nil }
    }
}
