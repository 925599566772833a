import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension SoundServer {
    /// A process the sound server helper started, by `posix_spawn` and reaped by its own
    /// `waitpid` — not Foundation's `Process`, whose exit monitoring was seen to miss a
    /// child that had exited (leaving a zombie and a `waitUntilExit` that never returned)
    /// when test cases start processes in parallel.
    final class Child: @unchecked Sendable {
        let pid: pid_t
        let name: String
        private let status = Mutex<Int32?>(nil)

        /// Starts `path` with `arguments` and exactly `environment`, stdin from /dev/null,
        /// stdout to `output` and stderr to `errors` (files, created or truncated).
        init(_ path: String, _ arguments: [String], environment: [String: String], output: String, errors: String) throws {
            name = path.split(separator: "/").last.map(String.init) ?? path
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                argv.forEach { free($0) }
                envp.forEach { free($0) }
            }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
            guard result == 0 else {
                throw FixtureError("cannot start \(path): \(String(cString: strerror(result)))")
            }
            self.pid = pid
        }

        deinit {
            end()
        }

        /// Whether it has not exited yet (reaping it if it has).
        var isRunning: Bool {
            status.withLock { status in
                guard status == nil else { return false }
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = raw
                    return false
                }
                return true
            }
        }

        /// The exit status once it has exited (the raw `waitpid` status).
        var exitStatus: Int32? {
            _ = isRunning
            return status.withLock { $0 }
        }

        /// Waits until it exits, at most `timeout`; false if it is still running.
        func wait(timeout: Duration) -> Bool {
            let deadline = ContinuousClock.now + timeout
            while isRunning {
                if ContinuousClock.now > deadline { return false }
                usleep(5_000)
            }
            return true
        }

        /// SIGTERM, then SIGKILL after 3 s; returns once it is reaped.
        func end() {
            guard isRunning else { return }
            kill(pid, SIGTERM)
            if !wait(timeout: .seconds(3)) {
                kill(pid, SIGKILL)
                _ = wait(timeout: .seconds(10))
            }
        }
    }
}

/// CPU-bound processes (`while :; do :; done`) that keep the machine busy while a test
/// measures timing; ended by ``stop()`` or when released. They run at nice 19: they take
/// every idle cycle, but the suite's other tests, which run meanwhile, are not starved
/// (at nice 0 two of them on a 2-core machine made unrelated timing tests fail).
public final class CPUHogs: @unchecked Sendable {
    private let children: [SoundServer.Child]

    public init(count: Int) throws {
        children = try (0..<count).map { _ in
            try SoundServer.Child("/usr/bin/nice", ["-n", "19", "/bin/sh", "-c", "while :; do :; done"], environment: [:], output: "/dev/null", errors: "/dev/null")
        }
    }

    deinit { stop() }

    public func stop() {
        children.forEach { $0.end() }
    }
}
