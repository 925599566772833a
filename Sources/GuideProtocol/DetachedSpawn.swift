import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// Starts a process that stands apart from its parent: `guided` started by guidectl, and
/// event hooks started by guided. Both need the same care, kept here once:
/// - a session of its own (`setsid`), so a Ctrl-C in the terminal or the parent's process
///   group being signalled does not reach it, and a hook's children can be killed as one;
/// - default signal dispositions and an empty mask (ignored signals, such as the daemon's
///   SIGPIPE and SIGHUP, would otherwise survive `exec`);
/// - no descriptor from 3 up (an inherited pipe would keep, e.g., `x=$(guidectl start
///   cooldown)` waiting for the daemon to exit).
public final class DetachedSpawn {
    private var actions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()

    /// glibc's POSIX_SPAWN_SETSID (spawn.h, glibc 2.26+): Swift does not import it because
    /// it sits behind `__USE_GNU`.
    private static let setsidFlag: Int32 = 0x80

    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time
    /// (it is declared behind `__USE_GNU` too).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    public init() {
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(Self.setsidFlag | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }

    /// Opens `path` as descriptor `fd` in the child.
    public func open(_ fd: Int32, _ path: String, _ flags: Int32, mode: mode_t = 0o600) {
        posix_spawn_file_actions_addopen(&actions, fd, path, flags, mode)
    }

    /// Makes the child's `fd` a copy of our `source`.
    public func duplicate(_ source: Int32, as fd: Int32) {
        posix_spawn_file_actions_adddup2(&actions, source, fd)
    }

    /// Starts `path` with `arguments` (argv[0] included) and `environment`; returns its pid
    /// or the errno that says why not.
    public func spawn(_ path: String, arguments: [String], environment: [String: String]) -> Result<pid_t, SystemError> {
        closeInheritedDescriptors()
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return result == 0 ? .success(pid) : .failure(SystemError(errno: result))
    }

    /// Descriptors from 3 up are closed in the child: with `addclosefrom` where glibc has
    /// it, else by marking ours close-on-exec (harmless: we only ever `exec` a child).
    private func closeInheritedDescriptors() {
        if let addCloseFrom = Self.addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        var fd: Int32 = 3
        let limit = Int32(clamping: sysconf(Int32(_SC_OPEN_MAX)))
        while fd < min(limit, 65_536) {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
            fd += 1
        }
    }

}
