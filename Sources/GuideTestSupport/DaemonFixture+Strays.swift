import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Daemons a test did not start itself: `guidectl` starts `guided` on its own when no
/// daemon answers, detached (setsid, parent pid 1 once guidectl exits), so the fixture's
/// own process handle never sees it. Left running, such a daemon outlived the suite and
/// put its socket directory back inside the deleted temporary home. The fixture finds
/// them by the temporary home in their environment and kills them before it removes it.
extension DaemonFixture {
    /// Every process whose environment points `XDG_STATE_HOME` into `root`.
    public static func strayDaemons(under root: String) -> [pid_t] {
        let marker = Array("XDG_STATE_HOME=\(root)/".utf8)
        let own = getpid()
        var found: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != own,
                let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { continue }
            let bytes = [UInt8](environ)
            let matches = bytes.split(separator: 0).contains { $0.starts(with: marker) }
            if matches, !isZombie(pid) { found.append(pid) }
        }
        return found
    }

    /// Kills (SIGKILL) every stray daemon under `root` and waits, at most 5 s, until each
    /// is gone (or a zombie, for whichever parent reaps it). Returns the pids it killed.
    @discardableResult
    public static func killStrayDaemons(under root: String) -> [pid_t] {
        let strays = strayDaemons(under: root)
        for pid in strays { kill(pid, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(5)
        for pid in strays {
            while kill(pid, 0) == 0, !isZombie(pid), ContinuousClock.now < deadline { usleep(5_000) }
        }
        return strays
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }  // gone
        return stat[stat.index(after: close)...].drop(while: { $0 == " " }).hasPrefix("Z")
    }
}
