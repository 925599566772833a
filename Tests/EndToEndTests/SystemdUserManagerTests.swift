import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// guided as a user installs it (`systemd/install.sh`) and a real `systemd --user` runs it
/// (``SystemdUserManager``): socket activation, `systemctl --user status`, reload, stop,
/// a crash, a watchdog restart and the uninstall. These need root and CAP_SYS_ADMIN;
/// without them each test fails with one line that says so.
@Suite("guided under a real systemd user manager", .serialized)
struct SystemdUserManagerTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The manager, with guide installed into its sandbox by install.sh (the binaries the
    /// suite runs against, via GUIDE_INSTALL_BIN_DIR), a test session, and the unit's
    /// output appended to a file.
    final class Sandbox {
        let manager: SystemdUserManager
        let prefix: String
        let log: String

        init(dropIns: [String: String] = [:]) throws {
            manager = try SystemdUserManager()
            prefix = manager.root + "/prefix"
            log = manager.root + "/guided.log"
            let sessions = manager.configHome + "/guide/sessions"
            try FileManager.default.createDirectory(atPath: sessions, withIntermediateDirectories: true)
            try TestSessions.long.write(toFile: sessions + "/long.json", atomically: true, encoding: .utf8)
            try manager.addDropIn(
                unit: "guided.service", name: "test-output",
                "[Service]\nStandardOutput=append:\(log)\nStandardError=append:\(log)\nEnvironment=GUIDE_LOG_LEVEL=debug\n")
            for (name, text) in dropIns { try manager.addDropIn(unit: "guided.service", name: name, text) }
            let installed = try install()
            #expect(installed.status == 0, "install.sh: \(installed.stderr)")
        }

        deinit { manager.stop() }

        func install(_ arguments: [String] = []) throws -> CommandResult {
            var env = manager.environment
            env["PREFIX"] = prefix
            env["GUIDE_INSTALL_BIN_DIR"] = DaemonFixture.binaryDirectory
            return try CommandResult.run(
                SystemdUserManagerTests.packageRoot + "/systemd/install.sh", arguments, environment: env, timeout: .seconds(120))
        }

        func guidectl(_ arguments: [String]) throws -> CommandResult {
            try CommandResult.run(prefix + "/bin/guidectl", arguments, environment: manager.environment, timeout: .seconds(30))
        }

        func status() throws -> Status {
            let result = try guidectl(["status", "--json"])
            guard result.status == 0 else { throw FixtureError("guidectl status: \(result.stderr)") }
            return try WireCoding.decode(Status.self, from: Array(result.stdout.utf8))
        }

        /// Polls until the running session has reached `elapsed` seconds.
        func waitUntilElapsed(_ elapsed: Double) throws -> Status {
            var last: Status?
            let reached = try manager.wait {
                last = try status()
                return last!.elapsed >= elapsed
            }
            guard reached, let last else { throw FixtureError("the session did not reach \(elapsed) s: \(daemonLog)") }
            return last
        }

        func state(_ unit: String = "guided.service") throws -> String { try manager.property(unit, "ActiveState") }
        func mainPID() throws -> pid_t { pid_t(try manager.property("guided.service", "MainPID")) ?? 0 }

        var daemonLog: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// Waits until systemd runs guided again under a new pid, and it answers.
        func waitForRestart(from old: pid_t) throws -> pid_t {
            var pid: pid_t = 0
            let restarted = try manager.wait(timeout: .seconds(30)) {
                pid = try mainPID()
                guard pid != 0, pid != old, try state() == "active" else { return false }
                return (try? status()) != nil
            }
            guard restarted else {
                throw FixtureError("guided was not restarted (state \((try? state()) ?? "?")): \(daemonLog)\n\(manager.managerLog)")
            }
            return pid
        }

        /// What `systemctl --user` still knows of guide's units.
        func remainingUnits() throws -> [String] {
            let units = try manager.systemctl(["list-units", "--all", "--plain", "--no-legend", "guided*"]).stdout
            let files = try manager.systemctl(["list-unit-files", "--plain", "--no-legend", "guided*"]).stdout
            return (units + files).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
    }

    @Test("install.sh: socket activation by guidectl status, Status: in systemctl status, reload, stop → inactive with result success")
    func serviceLife() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.state("guided.socket") == "active")
        #expect(try sandbox.state() == "inactive", "nothing has used the socket yet")
        #expect(try sandbox.manager.property("guided.service", "UnitFileState") == "enabled", "started at login too")

        let idle = try sandbox.guidectl(["status"])
        #expect(idle.status == 0 && idle.stdout == "idle\n", "\(idle.stderr)\n\(sandbox.daemonLog)")
        #expect(try sandbox.state() == "active", "the first connection started guided")

        #expect(try sandbox.guidectl(["start", "long"]).status == 0)
        #expect(try sandbox.manager.wait { try sandbox.manager.property("guided.service", "StatusText") == "long 1/3 First" })
        let shown = try sandbox.manager.systemctl(["status", "guided.service"])
        #expect(shown.stdout.contains("Status: \"long 1/3 First\""), "\(shown.stdout)")

        let pid = try sandbox.mainPID()
        #expect(try sandbox.manager.systemctl(["reload", "guided.service"]).status == 0)
        #expect(try sandbox.manager.wait { sandbox.daemonLog.contains("sessions reloaded") })
        #expect(try sandbox.state() == "active")
        #expect(try sandbox.mainPID() == pid, "a reload is not a restart")
        #expect(try sandbox.status().state == .running, "a reload never touches the running session")

        let stop = try sandbox.manager.systemctl(["stop", "guided.service"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try sandbox.state() == "inactive")
        #expect(try sandbox.manager.property("guided.service", "Result") == "success", "\(sandbox.daemonLog)")
        #expect(try sandbox.manager.property("guided.service", "ExecMainStatus") == "0")
        #expect(try sandbox.manager.property("guided.service", "NRestarts") == "0")
        #expect(!sandbox.daemonLog.contains("Error"), "\(sandbox.daemonLog)")
        let history = try String(contentsOfFile: sandbox.manager.stateHome + "/guide/history.jsonl", encoding: .utf8)
        #expect(history.contains(#""outcome":"abandoned""#), "\(history)")
    }

    @Test("kill -9 mid-session: systemd restarts guided, which restores the session paused at the same step and time (±1 s)")
    func crashRestart() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.guidectl(["start", "long"]).status == 0)
        let before = try sandbox.waitUntilElapsed(2.3)
        let pid = try sandbox.mainPID()
        kill(pid, SIGKILL)
        _ = try sandbox.waitForRestart(from: pid)
        let restored = try sandbox.status()
        #expect(restored.state == .paused)
        #expect(restored.restored)
        #expect(restored.step?.index == before.step?.index)
        #expect(abs(restored.elapsed - before.elapsed) <= 1.2, "restored at \(restored.elapsed) s, killed at \(before.elapsed) s")
        #expect(try sandbox.manager.property("guided.service", "NRestarts") == "1")
        #expect(try sandbox.guidectl(["resume"]).status == 0)
    }

    @Test("SIGSTOP past WatchdogSec: the watchdog restarts guided, which restores the session where it froze (±1 s)")
    func watchdogRestart() throws {
        let sandbox = try Sandbox(dropIns: ["test-watchdog": "[Service]\nWatchdogSec=2s\n"])
        #expect(try sandbox.guidectl(["start", "long"]).status == 0)
        let before = try sandbox.waitUntilElapsed(2.3)
        let pid = try sandbox.mainPID()
        kill(pid, SIGSTOP)
        let frozenAt = ContinuousClock.now
        _ = try sandbox.waitForRestart(from: pid)
        #expect(ContinuousClock.now - frozenAt >= .seconds(2), "restarted before the watchdog's 2 s")
        #expect(try sandbox.manager.property("guided.service", "NRestarts") == "1", "stopped, it could not end on its own")
        let restored = try sandbox.status()
        #expect(restored.state == .paused)
        #expect(restored.restored)
        #expect(restored.step?.index == before.step?.index)
        #expect(abs(restored.elapsed - before.elapsed) <= 1.2, "restored at \(restored.elapsed) s, frozen at \(before.elapsed) s: \(sandbox.daemonLog)")
    }

    @Test("install.sh --uninstall leaves no unit behind, failed or not")
    func uninstall() throws {
        let sandbox = try Sandbox(dropIns: ["test-no-restart": "[Service]\nRestart=no\n"])
        #expect(try sandbox.guidectl(["start", "long"]).status == 0)
        let pid = try sandbox.mainPID()
        kill(pid, SIGKILL)
        #expect(try sandbox.manager.wait { try sandbox.state() == "failed" })
        var result = try sandbox.install(["--uninstall"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.remainingUnits() == [])
        #expect(try sandbox.manager.systemctl(["list-units", "--failed", "--plain", "--no-legend"]).stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: sandbox.prefix + "/bin/guided"))

        // Installed again and running: gone as well, and guided stopped cleanly.
        result = try sandbox.install()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.guidectl(["status"]).status == 0)
        #expect(try sandbox.state() == "active")
        result = try sandbox.install(["--uninstall"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.remainingUnits() == [])
        #expect(SystemdUserManager.processes(inCgroup: "/sys/fs/cgroup/systemd/" + sandbox.manager.cgroupName + "/app.slice").isEmpty)
    }

    @Test("the manager leaves no mount, cgroup, process or file behind")
    func cleanUp() throws {
        let manager = try SystemdUserManager()
        let pid = manager.pid
        #expect(pid > 0)
        #expect(try manager.systemctl(["show-environment"]).status == 0)
        manager.stop()
        #expect(manager.leftovers == [])
        #expect(kill(pid, 0) != 0, "systemd --user still runs")
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        #expect(!mounts.contains("guide-test-systemd"), "the tmpfs leaked into the host's mount table")
    }
}
