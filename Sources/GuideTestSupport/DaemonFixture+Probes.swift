import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// What hardening, load and fault tests look at from outside the daemon: its log as it
/// grows, its resident memory, and whether a connection has been closed.
extension DaemonFixture {
    /// Waits (polling the log file, at most `timeout`) until `text` occurs `count` times.
    @discardableResult
    public func waitForLog(_ text: String, count: Int = 1, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.components(separatedBy: text).count - 1 >= count { return true }
            usleep(10_000)
        }
        return log.components(separatedBy: text).count - 1 >= count
    }

    /// ``waitForLog(_:count:timeout:)`` as a task, holding no thread while it polls.
    @discardableResult
    public func logContains(_ text: String, count: Int = 1, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.components(separatedBy: text).count - 1 >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return log.components(separatedBy: text).count - 1 >= count
    }

    /// The daemon's resident set size in KiB (`VmRSS` of /proc/PID/status), if it runs.
    public var residentKiB: Int? {
        guard let process, process.isRunning,
            let text = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8)
        else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Whether the daemon is still running.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// Every `cue played … late_ms=X` debug line of the log, as (cue kind, lateness in ms).
    public var cueLateness: [(cue: String, milliseconds: Double)] {
        log.split(separator: "\n").compactMap { line -> (String, Double)? in
            guard line.contains("cue played") else { return nil }
            var cue: String?
            var late: Double?
            for field in line.split(separator: " ") {
                if field.hasPrefix("cue=") { cue = String(field.dropFirst(4)) }
                if field.hasPrefix("late_ms=") { late = Double(field.dropFirst(8)) }
            }
            guard let cue, let late else { return nil }
            return (cue, late)
        }
    }
}
