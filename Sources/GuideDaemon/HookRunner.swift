import FoundationEssentials
import GuideAudio
import GuideCore
import GuideProtocol
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs the user's event hooks: every regular executable file in
/// `$XDG_CONFIG_HOME/guide/hooks/` (default `~/.config/guide/hooks/`), in name order, on
/// the events `started`, `step`, `side`, `finished` and `stopped` — e.g. a desktop
/// notification with `notify-send`.
///
/// Each hook gets the status as one line of JSON on stdin, and `GUIDE_EVENT`,
/// `GUIDE_SESSION`, `GUIDE_STEP` (the step's name), `GUIDE_SIDE` and `GUIDE_STEP_INDEX` in
/// an environment that is otherwise the daemon's. Its stdout and stderr go to the
/// daemon's stderr (the log).
///
/// Nothing here can delay a cue: ``run(_:)`` only hands the event to a thread of its own
/// and returns. There the directory is read (so a new hook works without a reload) and
/// each hook is spawned detached — `posix_spawn` in a session of its own (`setsid`, so it
/// is its own process group), default signal dispositions and mask, no descriptors but
/// 0–2 — and a thread of its own waits for it. A hook still running after ``timeLimit``
/// is killed with its whole process group (SIGKILL); a hook that fails or is killed is
/// logged at warning. Hooks of successive events may overlap; each starts in order.
public final class HookRunner: Sendable {
    /// The events hooks are run for.
    public static let events: Set<Event.Kind> = [.started, .step, .side, .finished, .stopped]
    public static let defaultTimeLimit = Duration.seconds(10)

    public let directory: String
    public let timeLimit: Duration
    private let environment: [String: String]
    private let logger: Logger
    /// One thread, so that the hooks of successive events start in order. Not a Dispatch
    /// queue: its first worker would start libdispatch's once-a-second workqueue monitor,
    /// and an idle daemon must not wake. The thread starts with the first event and then
    /// blocks until the next one.
    private let spawner = HookQueue()
    private let lastSession = Mutex<String?>(nil)

    public init(directory: String, timeLimit: Duration = HookRunner.defaultTimeLimit, environment: [String: String], logger: Logger) {
        self.directory = directory
        self.timeLimit = timeLimit
        self.environment = environment.filter { !["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID"].contains($0.key) }
        self.logger = logger
    }

    deinit {
        spawner.close()  // what is still queued is dropped, then the thread ends
    }

    /// `$XDG_CONFIG_HOME/guide/hooks`, default `~/.config/guide/hooks`.
    public static func directory(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/guide/hooks" }
        return (environment["HOME"] ?? "/nonexistent") + "/.config/guide/hooks"
    }

    /// A hook runner as the daemon configures it: the directory from the environment and
    /// the time limit from `GUIDE_HOOK_TIMEOUT` (seconds), default 10 s.
    public static func fromEnvironment(_ environment: [String: String], logger: Logger) -> HookRunner {
        var limit = defaultTimeLimit
        if let text = environment["GUIDE_HOOK_TIMEOUT"], let seconds = Double(text), seconds > 0, seconds <= 3600 {
            limit = .milliseconds(Int64(seconds * 1000))
        }
        return HookRunner(directory: directory(environment: environment), timeLimit: limit, environment: environment, logger: logger)
    }

    /// Starts the hooks for `event`, if it is one hooks run for. Returns at once.
    public func run(_ event: Event) {
        guard Self.events.contains(event.event) else { return }
        let input = WireCoding.encodeLine(event.status)
        var variables = [
            "GUIDE_EVENT": event.event.rawValue,
            "GUIDE_SESSION": event.status.session ?? "",
            "GUIDE_STEP": event.status.step?.name ?? "",
            "GUIDE_SIDE": event.status.step?.side?.rawValue ?? "",
            "GUIDE_STEP_INDEX": event.status.step.map { String($0.index) } ?? "",
        ]
        // After `stopped` the status is idle: name the session that was stopped.
        let session = lastSession.withLock { last in
            if let name = event.status.session { last = name }
            return last
        }
        if variables["GUIDE_SESSION"] == "" { variables["GUIDE_SESSION"] = session ?? "" }
        let queued = spawner.submit { [self, variables] in
            for hook in hooks() {
                spawn(hook, event: event.event, input: input, variables: variables)
            }
        }
        if let problem = queued {
            logger.warning("hooks not run: cannot start their thread", metadata: ["event": "\(event.event.rawValue)", "reason": "\(problem)"])
        }
    }

    /// The regular executable files of the directory, in name order. Hidden files and
    /// editor backups (`~`) are left out quietly; non-executable files with a debug line.
    func hooks() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var result: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") && !name.hasSuffix("~") {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                logger.debug("hook skipped: not a regular file", metadata: ["hook": "\(path)"])
                continue
            }
            guard access(path, X_OK) == 0 else {
                logger.debug("hook skipped: not executable", metadata: ["hook": "\(path)"])
                continue
            }
            result.append(path)
        }
        return result
    }

    private func spawn(_ hook: String, event: Event.Kind, input: [UInt8], variables: [String: String]) {
        let metadata: Logger.Metadata = ["hook": "\(hook)", "event": "\(event.rawValue)"]
        // stdin: a pipe holding the whole status (far below a pipe's 64 KiB), already
        // closed at our end, so the hook reads it and then EOF, and nothing here can block.
        var fds: [Int32] = [0, 0]
        // (pipe2 is behind __USE_GNU; the flags follow at once, and any other spawn closes
        // descriptors from 3 up anyway.)
        guard pipe(&fds) == 0 else {
            logger.warning("hook not run: cannot make a pipe", metadata: metadata.merging(["reason": "\(SystemError.current())"]) { $1 })
            return
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        _ = input.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        defer { close(fds[0]) }

        let spawn = DetachedSpawn()
        spawn.duplicate(fds[0], as: 0)
        spawn.duplicate(2, as: 1)  // a hook's output goes to the daemon's log
        var env = environment
        for (key, value) in variables { env[key] = value }
        let pid: pid_t
        switch spawn.spawn(hook, arguments: [hook], environment: env) {
        case .success(let started): pid = started
        case .failure(let error):
            logger.warning("hook not run", metadata: metadata.merging(["reason": "\(error)"]) { $1 })
            return
        }
        logger.debug("hook started", metadata: metadata.merging(["pid": "\(pid)"]) { $1 })
        watch(pid, metadata: metadata)
    }

    /// Waits for `pid` on a thread of its own (waitpid blocks); a second thread kills its
    /// process group if it outlives the time limit. That one waits on a condition that
    /// the exit signals, so it ends with the hook: no timer is left behind to wake an
    /// idle daemon later (a cancelled NIO timer still fires its timerfd).
    private func watch(_ pid: pid_t, metadata: Logger.Metadata) {
        let exit = HookExit()
        let deadline = SuspendingClock.now + timeLimit
        startThread("guide-hooklimit", metadata: metadata) {
            exit.condition.withLock {
                while !exit.reaped && SuspendingClock.now < deadline {
                    exit.condition.wait(until: deadline)
                }
                // Under the lock: the hook is not reaped before `reaped` is set, so `pid`
                // is still this hook's process group here.
                if !exit.reaped {
                    exit.killed = true
                    kill(-pid, SIGKILL)
                }
            }
        }
        let limit = timeLimit
        let logger = logger
        let started = ContinuousClock.now
        startThread("guide-hookwait", metadata: metadata) {
            // Wait for the exit without reaping, so that the pid cannot be reused while
            // the killer may still look at it; mark it, then reap.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            let killed = exit.condition.withLock {
                exit.reaped = true
                exit.condition.broadcast()
                return exit.killed
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let elapsed = ContinuousClock.now - started
            let took = elapsed.secondsText + "s"
            if killed {
                logger.warning(
                    "hook killed: it ran past the time limit",
                    metadata: metadata.merging(["limit": "\(limit)", "took": "\(took)"]) { $1 })
            } else if status & 0x7f != 0 {
                logger.warning("hook killed by a signal", metadata: metadata.merging(["signal": "\(status & 0x7f)", "took": "\(took)"]) { $1 })
            } else if (status >> 8) & 0xff != 0 {
                logger.warning("hook failed", metadata: metadata.merging(["status": "\((status >> 8) & 0xff)", "took": "\(took)"]) { $1 })
            } else {
                logger.debug("hook done", metadata: metadata.merging(["took": "\(took)"]) { $1 })
            }
        }
    }
}

extension HookRunner {
    /// Starts one of a hook's watching threads; if the system cannot start it, says so
    /// (the hook then runs unwatched: no time limit, reaped by nobody until the daemon ends).
    private func startThread(_ name: String, metadata: Logger.Metadata, _ body: @escaping @Sendable () -> Void) {
        do {
            try NamedThread.start(name, body)
        } catch {
            logger.warning("hook not watched: cannot start a thread", metadata: metadata.merging(["reason": "\(error)"]) { $1 })
        }
    }
}

/// One named thread (`guide-hooks`) that runs submitted jobs one after another, started
/// with the first job; between jobs it blocks on a condition (no timer: an idle daemon
/// does not wake).
private final class HookQueue: @unchecked Sendable {
    // Guarded by `condition`'s lock.
    private let condition = MonotonicCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var running = false
    private var closed = false

    /// Queues `job`, starting the thread if it is not running; the error if it cannot start
    /// (the job is dropped then, and the next submit tries again).
    func submit(_ job: @escaping @Sendable () -> Void) -> SystemError? {
        let start = condition.withLock { () -> Bool in
            guard !closed else { return false }
            jobs.append(job)
            condition.broadcast()
            defer { running = true }
            return !running
        }
        guard start else { return nil }
        do {
            try NamedThread.start("guide-hooks") { [self] in run() }
            return nil
        } catch {
            condition.withLock {
                running = false
                jobs.removeAll()
            }
            return error
        }
    }

    /// Ends the thread once its current job returns; jobs still queued are dropped.
    func close() {
        condition.withLock {
            closed = true
            jobs.removeAll()
            condition.broadcast()
        }
    }

    private func run() {
        while true {
            let next = condition.withLock { () -> (@Sendable () -> Void)? in
                while jobs.isEmpty && !closed { condition.wait() }
                return closed ? nil : jobs.removeFirst()
            }
            guard let next else { return }
            next()
        }
    }
}

/// What the two threads watching one hook share; guarded by `condition`'s lock.
private final class HookExit: @unchecked Sendable {
    let condition = MonotonicCondition()
    var reaped = false
    var killed = false
}
