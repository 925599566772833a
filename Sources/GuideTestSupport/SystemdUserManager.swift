import FoundationEssentials
import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// A real `systemd --user` manager in a temporary sandbox, on a machine where systemd is
/// not PID 1 (a container, a CI runner), for tests of guided as a user service.
///
/// How it runs (DESIGN.md §6, measured on these machines; needs root and CAP_SYS_ADMIN):
/// `unshare -m --propagation private` gives it a mount namespace of its own, where a
/// 64 MiB tmpfs covers /run/systemd and /run/systemd/system is created, so `sd_booted()`
/// passes (1 MiB is too small for `daemon-reload`); the process moves into cgroups of its
/// own (`/sys/fs/cgroup/systemd/NAME` of the name=systemd v1 hierarchy and
/// `/sys/fs/cgroup/unified/NAME` of the cgroup2 one), and then execs
/// `/lib/systemd/systemd --user` with the sandbox's `XDG_RUNTIME_DIR`, `HOME` and XDG
/// directories. `systemctl --user` reaches it from outside through
/// `$XDG_RUNTIME_DIR/systemd/private` (``systemctl(_:)`` sets that up).
///
/// The units the machine enables for every user (PipeWire, gpg-agent, …) are masked in the
/// sandbox so that only what a test installs runs. No journald: give a unit a drop-in with
/// `StandardOutput=append:FILE` (``addDropIn(unit:name:_:)``).
///
/// ``stop()`` (also run on deinit) ends the manager and every process it started, removes
/// its cgroups and the sandbox; the mount namespace, and with it the tmpfs, goes away with
/// its last process, so nothing is left on the host's mount table.
public final class SystemdUserManager: @unchecked Sendable {
    public let root: String
    public let home: String
    public let runtimeDirectory: String
    public let configHome: String
    public let dataHome: String
    public let stateHome: String
    /// The cgroup name under both hierarchies.
    public let cgroupName: String
    /// The manager's process: unshare, which execs the shell that execs systemd.
    private var manager: ChildProcess?
    /// The manager's pid; 0 before it starts.
    public var pid: pid_t { manager?.pid ?? 0 }
    private var stopped = false

    public static let executable = "/lib/systemd/systemd"
    static let cgroupRoots = ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"]

    /// Why the machine cannot run one (nil when it can): root, CAP_SYS_ADMIN, the
    /// executables and both cgroup hierarchies are needed.
    public static var unavailableReason: String? {
        if geteuid() != 0 { return "the systemd user-manager tests need root (and CAP_SYS_ADMIN); run swift test as root" }
        if !hasCapability(21) { return "the systemd user-manager tests need CAP_SYS_ADMIN (mount, unshare); run the tests with it" }
        for tool in [executable, "/usr/bin/unshare", "/usr/bin/systemctl", "/bin/mount"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "the systemd user-manager tests need \(tool) (apt-get install systemd util-linux mount)"
        }
        for hierarchy in cgroupRoots where !FileManager.default.fileExists(atPath: hierarchy + "/cgroup.procs") {
            return "the systemd user-manager tests need the cgroup hierarchy \(hierarchy) (cgroup v1 name=systemd and cgroup2 at /sys/fs/cgroup/unified)"
        }
        return nil
    }

    /// Whether the effective capability set holds capability number `bit` (CapEff of /proc/self/status).
    static func hasCapability(_ bit: Int) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
            let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16)
        else { return false }
        return mask & (1 << UInt64(bit)) != 0
    }

    /// Creates the sandbox and starts the manager; returns once `systemctl --user` answers.
    public init() throws {
        if let reason = Self.unavailableReason { throw FixtureError(reason) }
        var template = Array("/tmp/guide-sd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        root = String(cString: made)
        home = root + "/home"
        runtimeDirectory = root + "/run"
        configHome = home + "/.config"
        dataHome = home + "/.local/share"
        stateHome = home + "/.local/state"
        cgroupName = "guide-test-" + String(root.split(separator: "-").last ?? "x")
        do {
            for directory in [home, configHome + "/systemd/user", dataHome, stateHome, runtimeDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            chmod(runtimeDirectory, 0o700)
            try maskMachineUnits()
            try launch()
            try waitUntilAnswering()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// The environment of the manager, and of `systemctl --user`, `guidectl` and
    /// `install.sh` run against it.
    public var environment: [String: String] {
        var env: [String: String] = [:]
        for key in ["PATH", "LANG", "TERM"] { env[key] = ProcessInfo.processInfo.environment[key] }
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        env["HOME"] = home
        env["USER"] = "root"
        env["XDG_RUNTIME_DIR"] = runtimeDirectory
        env["XDG_CONFIG_HOME"] = configHome
        env["XDG_DATA_HOME"] = dataHome
        env["XDG_STATE_HOME"] = stateHome
        env["XDG_DATA_DIRS"] = root + "/data-dirs"
        env["SYSTEMD_PAGER"] = ""
        env["SYSTEMD_COLORS"] = "0"
        return env
    }

    /// Runs `systemctl --user ARGS` against this manager.
    public func systemctl(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> CommandResult {
        try CommandResult.run("/usr/bin/systemctl", ["--user", "--no-pager"] + arguments, environment: environment, timeout: timeout)
    }

    /// `systemctl --user show UNIT -p PROPERTY --value`.
    public func property(_ unit: String, _ name: String) throws -> String {
        let value = try systemctl(["show", unit, "-p", name, "--value"]).stdout.drop(while: \.isWhitespace)
        return String(value.reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Writes `~/.config/systemd/user/UNIT.d/NAME.conf` (then `daemon-reload` for it to count).
    public func addDropIn(unit: String, name: String, _ text: String) throws {
        let directory = configHome + "/systemd/user/\(unit).d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: directory + "/\(name).conf", atomically: true, encoding: .utf8)
    }

    /// Waits until `condition` holds (polling every 50 ms); false after `timeout`.
    public func wait(timeout: Duration = .seconds(20), until condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    // MARK: - Start

    /// Masks every unit the machine enables for all users, so the sandbox runs only ours.
    private func maskMachineUnits() throws {
        var names = Set<String>()
        for base in ["/etc/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user"] {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where entry.hasSuffix(".wants") {
                for unit in (try? FileManager.default.contentsOfDirectory(atPath: base + "/" + entry)) ?? [] {
                    names.insert(unit)
                }
            }
        }
        // Targets and the manager's own units stay.
        for unit in names where !unit.hasSuffix(".target") && !unit.hasPrefix("systemd-") {
            let link = configHome + "/systemd/user/" + unit
            unlink(link)
            guard symlink("/dev/null", link) == 0 else { throw FixtureError("cannot mask \(unit): \(SystemError.current())") }
        }
    }

    private func launch() throws {
        // The shell is the process unshare runs in the new namespace; it sets up the mount
        // and the cgroups and then becomes the manager (exec), so the pid stays the same.
        var script = "set -e\ncd \(home)\n"
        script += "mount -t tmpfs -o size=64m,mode=0755 guide-test-systemd /run/systemd\n"
        script += "mkdir -p /run/systemd/system\n"
        for hierarchy in Self.cgroupRoots {
            script += "mkdir \(hierarchy)/\(cgroupName)\necho $$ > \(hierarchy)/\(cgroupName)/cgroup.procs\n"
        }
        script += "exec \(Self.executable) --user\n"
        var env = environment
        env["GUIDE_NO_CHECKOUT_SESSIONS"] = "1"
        env["GUIDE_AUDIO_DEVICE"] = "null"
        let log = root + "/manager.log"
        // ChildProcess, not Foundation's Process: Process learns that a child ended when a
        // socket the child inherited closes, and systemd closes every descriptor it
        // inherits as it starts; Process then blocks in waitpid() on the live manager and
        // no other child (every systemctl) is ever seen to end.
        manager = try ChildProcess(
            "/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", script], environment: env,
            stdout: .append(log), stderr: .append(log))
    }

    /// Whether the manager still runs (reaps it once it has ended).
    public var isRunning: Bool { manager?.isRunning ?? false }

    /// The manager's exit status once it has ended (see ``ChildProcess/exitStatus``).
    public var exitStatus: Int32? { manager?.exitStatus }

    public var managerLog: String { (try? String(contentsOfFile: root + "/manager.log", encoding: .utf8)) ?? "" }

    private func waitUntilAnswering() throws {
        let answered = try wait(timeout: .seconds(30)) {
            if !isRunning {
                throw FixtureError("systemd --user exited (status \(exitStatus ?? -1)): \(managerLog)")
            }
            guard FileManager.default.fileExists(atPath: runtimeDirectory + "/systemd/private") else { return false }
            return try systemctl(["is-system-running"], timeout: .seconds(10)).stdout.hasPrefix("running")
                || (try systemctl(["show-environment"], timeout: .seconds(10)).status == 0)
        }
        guard answered else { throw FixtureError("systemd --user did not answer on \(runtimeDirectory)/systemd/private: \(managerLog)") }
    }

    // MARK: - Stop

    /// Ends the manager (SIGTERM: a user manager starts exit.target, stopping every unit),
    /// kills anything left in its cgroups, removes them and the sandbox. Safe to call twice.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if let manager, manager.isRunning {
            // To the manager alone: its units are in cgroups of their own, and it stops them.
            manager.signal(SIGTERM)
            if !manager.wait(timeout: .seconds(15)) { manager.kill() }
        }
        for hierarchy in Self.cgroupRoots {
            removeCgroup(hierarchy + "/" + cgroupName)
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The pids in the cgroup `path` and below.
    public static func processes(inCgroup path: String) -> [pid_t] {
        var pids: [pid_t] = []
        if let text = try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8) {
            pids += text.split(separator: "\n").compactMap { pid_t($0) }
        }
        for child in subgroups(of: path) { pids += processes(inCgroup: path + "/" + child) }
        return pids
    }

    private static func subgroups(of path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
            var info = stat()
            return lstat(path + "/" + $0, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// Kills what is left in `path` and removes it, children first.
    private func removeCgroup(_ path: String) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let pids = Self.processes(inCgroup: path)
            if pids.isEmpty { break }
            for pid in pids {
                kill(pid, SIGKILL)
                kill(pid, SIGCONT)
            }
            usleep(20_000)
        }
        func remove(_ directory: String) {
            for child in Self.subgroups(of: directory) { remove(directory + "/" + child) }
            rmdir(directory)
        }
        remove(path)
    }

    /// Whether anything this manager created is still there: a cgroup, a process in it, the
    /// sandbox directory. For tests that check the cleanup.
    public var leftovers: [String] {
        var found: [String] = []
        for hierarchy in Self.cgroupRoots where FileManager.default.fileExists(atPath: hierarchy + "/" + cgroupName) {
            found.append(hierarchy + "/" + cgroupName)
        }
        if FileManager.default.fileExists(atPath: root) { found.append(root) }
        return found
    }
}
