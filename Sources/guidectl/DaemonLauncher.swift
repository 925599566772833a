#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Starts `guided` in the background for a command that needs it, then waits until its
/// socket accepts a connection.
///
/// The daemon is spawned in a session of its own (`setsid`, so a Ctrl-C or a closed
/// terminal does not reach it) with stdin and stdout on /dev/null, stderr appended to
/// `$XDG_STATE_HOME/guide/guided.log` (or /dev/null when that cannot be opened), the
/// default signal dispositions and mask, and guidectl's environment. `--socket` is
/// always passed so that both sides agree on the path whatever the environment says.
enum DaemonLauncher {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How long to wait for a fresh daemon's socket, and how often to try it.
    static let patience = Duration.seconds(2)
    static let step = Duration.milliseconds(20)
    static let exitGrace = Duration.milliseconds(300)

    static func start(socket: String) throws(Failure) -> GuideConnection {
        let environment = ProcessInfo.processInfo.environment
        guard let executable = guidedExecutable(environment: environment) else {
            throw Failure(description: "cannot find guided next to guidectl or on PATH; install it or start it yourself")
        }
        let log = logPath(environment: environment)
        let pid = try spawn(executable, arguments: ["--socket", socket], log: log)
        var deadline = ContinuousClock.now + patience
        var exitStatus: Int32?
        var lastError = ""
        while true {
            do {
                return try GuideConnection(path: socket)
            } catch {
                lastError = DaemonClient.describe(error, hint: nil)
            }
            if exitStatus == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    exitStatus = status
                    // It may have lost a race with another guided that is starting up on the
                    // same socket: give that one a moment, not the whole wait.
                    deadline = min(deadline, ContinuousClock.now + exitGrace)
                }
            }
            if ContinuousClock.now >= deadline { break }
            MonotonicSleep.sleep(step)
        }
        var reason = "\(executable) "
        if let status = exitStatus {
            reason += (status & 0x7f) == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
            if let last = lastLine(of: log) { reason += ": \(last)" }
        } else {
            reason += "did not open its socket within \(patience) (\(lastError))"
        }
        if let log { reason += "; see \(log)" }
        throw Failure(description: reason)
    }

    /// `guided` in the directory of the running guidectl (symlinks resolved), else the
    /// first executable `guided` on PATH.
    static func guidedExecutable(environment: [String: String]) -> String? {
        var candidates: [String] = []
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            let own = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            candidates.append(directory(of: own) + "/guided")
        }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where dir.hasPrefix("/") {
            candidates.append("\(dir)/guided")
        }
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// The directory part of an absolute path without a trailing slash: `/a/b` of
    /// `/a/b/guidectl`, `/` of `/guidectl` (as `NSString.deletingLastPathComponent`).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `$XDG_STATE_HOME/guide/guided.log` (default `~/.local/state/guide/guided.log`), with
    /// its directory created 0700; nil when it cannot be used.
    static func logPath(environment: [String: String]) -> String? {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = home + "/.local/state"
        } else {
            return nil
        }
        let directory = base + "/guide"
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory + "/guided.log"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        close(fd)
        return path
    }

    private static func spawn(_ executable: String, arguments: [String], log: String?) throws(Failure) -> pid_t {
        let spawn = DetachedSpawn()
        spawn.open(0, "/dev/null", O_RDONLY)
        spawn.open(1, "/dev/null", O_WRONLY)
        spawn.open(2, log ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND)
        switch spawn.spawn(executable, arguments: [executable] + arguments, environment: ProcessInfo.processInfo.environment) {
        case .success(let pid): return pid
        case .failure(let error): throw Failure(description: "cannot run \(executable): \(error)")
        }
    }

    /// The last non-empty line of the log, to show why a daemon exited.
    private static func lastLine(of path: String?) -> String? {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return nil }
        let tail = String(decoding: data.suffix(4096), as: UTF8.self)
        return tail.split(separator: "\n").last.map(String.init)
    }
}

/// A plain monotonic sleep for the blocking CLI (no async context here).
enum MonotonicSleep {
    static func sleep(_ duration: Duration) {
        var request = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
    }
}
