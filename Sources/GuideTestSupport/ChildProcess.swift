import GuideCore
import GuideProtocol
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A process a test started: the one way test support starts processes (guided, guidectl,
/// systemctl, sound servers, CPU hogs, …).
///
/// Spawned by ``DetachedSpawn`` (posix_spawn): in a session and process group of its own,
/// so that ``end(grace:)`` reaches whatever it started too; with default signal handling;
/// and with no descriptor from 3 up, so that nothing it or its children keep open ties it
/// to the test. Reaped by its own `waitpid` — not Foundation's `Process`, whose exit
/// monitoring was seen to miss children that had exited (a zombie and a `waitUntilExit`
/// that never returned) and to block in `waitpid` on a child that closed the descriptors
/// it inherited (systemd), after which no other child was seen to end.
///
/// Waits come in two kinds: ``wait(timeout:)`` blocks its thread (for synchronous tests),
/// ``exited(timeout:)`` sleeps as a task and holds none of the few threads that all tests
/// share.
public final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream goes.
    public enum Stream: Sendable {
        /// /dev/null.
        case null
        /// A file, created if missing and truncated (written) or read from the start (stdin).
        case file(String)
        /// A file, created if missing, written at its end (shared by several writers).
        case append(String)
    }

    public let pid: pid_t
    /// The executable's last path component, for messages.
    public let name: String
    private let status = Mutex<Int32?>(nil)

    /// Starts `path` with `arguments` (argv[0] is `path`) and exactly `environment`.
    public init(
        _ path: String, _ arguments: [String], environment: [String: String], stdin: Stream = .null,
        stdout: Stream = .null, stderr: Stream = .null
    ) throws {
        name = path.split(separator: "/").last.map(String.init) ?? path
        let spawn = DetachedSpawn()
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null: spawn.open(fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            case .file(let file): spawn.open(fd, file, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
            case .append(let file): spawn.open(fd, file, O_WRONLY | O_CREAT | O_APPEND, mode: 0o644)
            }
        }
        switch spawn.spawn(path, arguments: [path] + arguments, environment: environment) {
        case .success(let pid): self.pid = pid
        case .failure(let error): throw FixtureError("cannot start \(path): \(error)")
        }
    }

    /// Ends it (see ``end(grace:)``) if it still runs: a test that fails half-way leaves
    /// no process behind.
    deinit {
        end()
    }

    /// Whether it has not exited yet (reaping it if it has).
    public var isRunning: Bool {
        status.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw
                return false
            }
            if result < 0, errno == ECHILD {
                status = -1  // reaped elsewhere: gone, status unknown
                return false
            }
            return true
        }
    }

    /// The raw `waitpid` status once it has exited.
    public var waitStatus: Int32? {
        _ = isRunning
        return status.withLock { $0 }
    }

    /// Its exit status once it has exited, as a shell reports it: the exit code, or 128 +
    /// the signal that ended it.
    public var exitStatus: Int32? {
        guard let raw = waitStatus else { return nil }
        if raw == -1 { return -1 }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Sends `signal` to it alone.
    public func signal(_ signal: Int32) {
        if isRunning { Glibc.kill(pid, signal) }
    }

    /// Sends `signal` to its process group: it and whatever it started that stayed there.
    public func signalGroup(_ signal: Int32) {
        if isRunning { Glibc.kill(-pid, signal) }
    }

    /// Blocks until it exits, at most `timeout`; false if it still runs.
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// Waits as a task until it exits, at most `timeout`; false if it still runs.
    @discardableResult
    public func exited(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// SIGTERM to its group, then SIGKILL after `grace`; returns once it is reaped.
    public func end(grace: Duration = .seconds(3)) {
        guard isRunning else { return }
        signalGroup(SIGTERM)
        if !wait(timeout: grace) { kill() }
    }

    /// SIGKILL to its group; returns once it is reaped.
    public func kill() {
        guard isRunning else { return }
        signalGroup(SIGKILL)
        _ = wait(timeout: .seconds(30))
    }
}
