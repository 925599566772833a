import Foundation
import Glibc

/// What /proc says about a process: per-thread context switches and CPU time, memory.
struct ProcSnapshot {
    /// tid → voluntary + nonvoluntary context switches.
    var switches: [Int: Int] = [:]
    /// tid → CPU time in ns (schedstat, first field).
    var cpuNs: [Int: Int] = [:]
    /// utime + stime of the whole process (all threads, dead ones included), in clock ticks.
    var ticks = 0
    var threads: Int { switches.count }

    static func take(_ pid: pid_t) -> ProcSnapshot {
        var snapshot = ProcSnapshot()
        let taskDir = "/proc/\(pid)/task"
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: taskDir)) ?? [] {
            guard let id = Int(tid) else { continue }
            if let status = try? String(contentsOfFile: "\(taskDir)/\(tid)/status", encoding: .utf8) {
                let fields = ProcSnapshot.fields(status)
                snapshot.switches[id] = (fields["voluntary_ctxt_switches"] ?? 0) + (fields["nonvoluntary_ctxt_switches"] ?? 0)
            }
            if let sched = try? String(contentsOfFile: "\(taskDir)/\(tid)/schedstat", encoding: .utf8),
                let first = sched.split(separator: " ").first, let ns = Int(first)
            {
                snapshot.cpuNs[id] = ns
            }
        }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // Fields after "(comm)": state is field 3, utime 14, stime 15.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if rest.count > 12, let utime = Int(rest[11]), let stime = Int(rest[12]) { snapshot.ticks = utime + stime }
        }
        return snapshot
    }

    /// "Key:   123 kB" lines of a status file, as numbers (kB values stay in kB).
    static func fields(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            if let value { result[String(line[..<colon])] = value }
        }
        return result
    }

    /// Context switches of threads alive at `end` since `start` (threads born in between
    /// count from zero), CPU ns likewise, and the threads that came and went.
    static func delta(_ start: ProcSnapshot, _ end: ProcSnapshot) -> (switches: Int, cpuNs: Int, ticks: Int, born: Int, died: Int) {
        var switches = 0, cpu = 0
        for (tid, count) in end.switches { switches += count - (start.switches[tid] ?? 0) }
        for (tid, ns) in end.cpuNs { cpu += ns - (start.cpuNs[tid] ?? 0) }
        let born = Set(end.switches.keys).subtracting(start.switches.keys).count
        let died = Set(start.switches.keys).subtracting(end.switches.keys).count
        return (switches, cpu, end.ticks - start.ticks, born, died)
    }
}

/// VmRSS, VmHWM and RssAnon (private, not file-backed) in bytes.
func memory(_ pid: pid_t) -> (rss: Int, hwm: Int, anon: Int) {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let fields = ProcSnapshot.fields(text)
    return ((fields["VmRSS"] ?? 0) * 1024, (fields["VmHWM"] ?? 0) * 1024, (fields["RssAnon"] ?? 0) * 1024)
}

/// Per-thread context switches of `pid` since `start`, for the report's detail line.
func perThread(_ pid: pid_t, _ start: ProcSnapshot, _ end: ProcSnapshot) -> String {
    var parts: [String] = []
    for (tid, count) in end.switches.sorted(by: { $0.key < $1.key }) {
        let d = count - (start.switches[tid] ?? 0)
        guard d > 0 else { continue }
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        parts.append("\(comm)[\(tid)]: \(d)")
    }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
}
