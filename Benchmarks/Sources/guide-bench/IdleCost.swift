import Foundation
import Glibc

/// Wake-ups (context switches of all threads) and CPU time of one process over a window.
struct WakeWindow {
    let label: String
    let seconds: Double
    let switches: Int
    let cpuNs: Int
    let ticks: Int
    let threads: Int
    let born: Int
    let died: Int
    let detail: String

    var perSecond: Double { Double(switches) / seconds }
}

/// Idle cost and memory of one guided (null device) beside an idle mpd, measured over the
/// same windows.
struct IdleReport {
    var windows: [(guided: WakeWindow, mpd: WakeWindow, cuesDue: Int)] = []
    var memory: [(label: String, guided: (rss: Int, hwm: Int, anon: Int), mpd: (rss: Int, hwm: Int, anon: Int)?)] = []
    var failure: String?
}

enum IdleCost {
    /// How long a quiet window waits after the last thing that happened: the steady state is
    /// what the goal is about. Right after a state change a few one-off wake-ups are due —
    /// the player releases the sound device 5 s after its last sound, and a closed client
    /// connection leaves its 30 s idle timer armed in NIO's timerfd (NIO does not disarm a
    /// cancelled timer; the loop wakes once, finds nothing due, and sleeps again).
    static let settle = 31.0

    static func measure(_ pid: pid_t, baseline: pid_t, seconds: Double, label: String) -> (WakeWindow, WakeWindow) {
        let g0 = ProcSnapshot.take(pid), m0 = ProcSnapshot.take(baseline)
        Monotonic.sleep(seconds: seconds)
        let g1 = ProcSnapshot.take(pid), m1 = ProcSnapshot.take(baseline)
        func window(_ p: pid_t, _ a: ProcSnapshot, _ b: ProcSnapshot) -> WakeWindow {
            let d = ProcSnapshot.delta(a, b)
            return WakeWindow(
                label: label, seconds: seconds, switches: d.switches, cpuNs: d.cpuNs, ticks: d.ticks, threads: b.threads,
                born: d.born, died: d.died, detail: perThread(p, a, b))
        }
        return (window(pid, g0, g1), window(baseline, m0, m1))
    }

    static func run(binary: String, directory: String, mpd: MPDInstance, window: Double, subscribers: Int) -> IdleReport {
        var report = IdleReport()
        do {
            let schedule = Schedule.background(minutes: 30)
            let daemon = try GuidedInstance(binary: binary, root: directory, sessions: ["bench-background": schedule.json], audioDevice: "null")
            defer { daemon.stop() }
            // Issue 15's measure: 1 s after start, before any request.
            Monotonic.sleep(seconds: max(0, 1 - Double(Monotonic.now() - daemon.startedAt) / 1e9))
            report.memory.append(("1 s after start", memory(daemon.pid), memory(mpd.pid)))
            do {
                let c = try daemon.connect()
                _ = try c.request(#"{"id": 1, "command": "status"}"#)
            }
            Monotonic.sleep(seconds: settle)
            let idle = measure(daemon.pid, baseline: mpd.pid, seconds: window, label: "idle")
            report.windows.append((idle.0, idle.1, 0))
            report.memory.append(("idle (after the idle window)", memory(daemon.pid), memory(mpd.pid)))

            do {
                let c = try daemon.connect()
                _ = try c.request(#"{"id": 1, "command": "start", "session": "bench-background"}"#)
                _ = try c.request(#"{"id": 2, "command": "pause"}"#)
            }
            Monotonic.sleep(seconds: settle)
            let paused = measure(daemon.pid, baseline: mpd.pid, seconds: window, label: "paused")
            report.windows.append((paused.0, paused.1, 0))

            var c = try daemon.connect()
            let resumed = try c.request(#"{"id": 3, "command": "resume"}"#)
            let e0 = ((resumed["status"] as? [String: Any])?["elapsed"] as? NSNumber)?.doubleValue ?? 0
            c.close()  // closes now, outside the window
            Monotonic.sleep(seconds: 0.2)
            let t0 = Monotonic.now()
            let running = measure(daemon.pid, baseline: mpd.pid, seconds: window, label: "running (20 s steps)")
            let e1 = e0 + Double(Monotonic.now() - t0) / 1e9 + 0.2
            let due = schedule.offsets.filter { $0 > e0 + 0.2 && $0 <= e1 }.count
            report.windows.append((running.0, running.1, due))
            report.memory.append(("during a session", memory(daemon.pid), nil))
            // A fresh connection: guided closes one that has sent nothing for 30 s.
            c = try daemon.connect()
            _ = try c.request(#"{"id": 4, "command": "stop"}"#)
            c.close()
            // Idle again after a session: where a timer left behind by the session (or by
            // libdispatch, started by work the session did) would show.
            Monotonic.sleep(seconds: settle)
            let after = measure(daemon.pid, baseline: mpd.pid, seconds: window, label: "idle after the session")
            report.windows.append((after.0, after.1, 0))
            report.memory.append(("idle after the session", memory(daemon.pid), memory(mpd.pid)))

            // Subscribers: guided `subscribe`, mpd `idle` (its way of waiting for events).
            var guidedSubs: [LineSocket] = []
            for i in 0..<subscribers {
                let s = try daemon.connect()
                _ = try s.request(#"{"id": \#(i), "command": "subscribe"}"#)
                guidedSubs.append(s)
            }
            var mpdSubs: [LineSocket] = []
            for _ in 0..<subscribers {
                let s = try LineSocket(path: mpd.socket)
                _ = try s.readLine()  // "OK MPD x.y.z"
                try s.send("idle\n")
                mpdSubs.append(s)
            }
            Monotonic.sleep(seconds: 1)
            report.memory.append(("\(subscribers) subscribers connected", memory(daemon.pid), memory(mpd.pid)))
            guidedSubs.removeAll()
            mpdSubs.removeAll()
        } catch {
            report.failure = "\(error)"
        }
        return report
    }
}
