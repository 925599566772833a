import Foundation
import Glibc

/// Everything measured in one run, and its rendering as RESULTS.md.
struct Report {
    let mode: String
    let plan: Plan
    var machine = Machine()
    var cueSchedule = Schedule(name: "", steps: [])
    var driftSchedule = Schedule(name: "", steps: [])
    var cue: (guided: OnsetRun, baseline: OnsetRun)?
    var drift: (guided: OnsetRun, baseline: OnsetRun)?
    var idle = IdleReport()
    var roundTrip = RoundTripReport()
    var hyperfine: [HyperfineResult] = []
    var hyperfineFailure: String?
    var statusSample = ""
    var mpcSample = ""
    var startup = StartupReport()
    var sizes: [(name: String, staticPath: String, dynamicPath: String)] = []
    /// guidectl as systemd/install.sh installs it (a static executable).
    var installedCtl = ""
    var source = ""

    init(mode: String, plan: Plan) {
        self.mode = mode
        self.plan = plan
    }

    // MARK: - Goals

    struct Goal {
        let goal: String
        let figure: String
        let met: Bool?
        let plan: String
    }

    /// The issue's goals, each with the figure that decides it.
    var goals: [Goal] {
        var goals: [Goal] = []
        if let cue {
            let p99 = cue.guided.stats.p99
            goals.append(
                Goal(
                    goal: "cue onset p99 ≤ 5 ms", figure: "\(fmt(p99)) ms (baseline loop: \(fmt(cue.baseline.stats.p99)) ms)",
                    met: p99.isNaN ? nil : p99 <= 5,
                    plan: "Look at the latest cues listed in section 1. The start cue is written right after the session opens the device, and the first snd_pcm_open in a process loads the whole ALSA configuration (about 10 ms here): load it once at daemon start-up (snd_config_update() in the shim, or open and close the device once) so that a session's open is sub-millisecond. Later cues are late only when the machine does not run the playback thread on time (it wakes 3 ms early, then clock_nanosleep(TIMER_ABSTIME) on CLOCK_MONOTONIC): give that thread nice −10 or SCHED_FIFO where RLIMIT_RTPRIO allows."))
        }
        if let drift, let cue {
            let d = drift.guided.tenthDriftMs, c = cue.guided.tenthDriftMs
            let ok = !(d.isNaN || c.isNaN) && abs(d) <= 1 && abs(c) <= 1
            goals.append(
                Goal(
                    goal: "zero drift (|end − start| ≤ 1 ms)",
                    figure:
                        "\(fmt(d)) ms over \(DurationText.minutes(driftSchedule.total)), \(fmt(c)) ms over \(cueSchedule.offsets.count) cues (baseline loop: \(fmt(drift.baseline.tenthDriftMs)) / \(fmt(cue.baseline.tenthDriftMs)) ms)",
                    met: d.isNaN ? nil : ok,
                    plan: "Deadlines are sessionStart + offset on one monotonic clock, so drift can only come from a cue scheduled from 'now' instead of its deadline: check Engine.fire's `due:` (now − lateness) against Runner's deadline instant and pass the instant itself."))
        }
        if idle.windows.count >= 2 {
            // Every window without a cue due: idle before any session, paused, idle after one.
            let quiet = idle.windows.filter { $0.cuesDue == 0 && !$0.guided.label.hasPrefix("running") }
            let figures = quiet.map { "\($0.guided.label) \(fmt($0.guided.perSecond, 3))/s" }.joined(separator: ", ")
            goals.append(
                Goal(
                    goal: "0 wake-ups/s idle and paused",
                    figure: "\(figures) (mpd idle: \(fmt(idle.windows[0].mpd.perSecond, 3))/s)",
                    met: quiet.allSatisfy { $0.guided.switches == 0 },
                    plan: "See which threads woke in section 3, then `strace -f -tt -p PID` over an idle minute. Earlier causes, now fixed: libdispatch's workqueue monitor (a 1 s timer on its manager thread, started by the first global-queue worker: Swift's default executor, Task.sleep — which goes to libdispatch even with NIO as the global executor —, a Dispatch queue for hooks, a SIGHUP source on a global queue) and NIO timers that are cancelled but still fire their timerfd."))
        }
        if let first = idle.memory.first {
            let rss = first.guided.rss
            goals.append(
                Goal(
                    goal: "guided RSS ≤ 16 MiB idle", figure: "\(fmtBytes(rss)), of it \(fmtBytes(first.guided.anon)) anonymous (mpd: \(first.mpd.map { "\(fmtBytes($0.rss)), \(fmtBytes($0.anon))" } ?? "–"))",
                    met: rss == 0 ? nil : rss <= 16 << 20,
                    plan: "Look at /proc/PID/smaps of the idle daemon: most of VmRSS is file-backed text of the static binary mapped 64 KiB at a time (fault-around) as start-up code runs. Already done: libespeak-ng is dlopen'ed only when a session speaks; ld.lld with DT_RELR and no exported symbol table; start-up code packed first by Sources/guided/Linker/startup.order — regenerate it (make-startup-order.sh) when start-up code has changed, since a stale list spreads the text again; session files are read into buffers of their own size; one event loop (one thread and stack fewer per extra core). Tried and dropped: -Xfrontend -function-sections, so that the order moves single functions rather than whole files, left guided's resident text 0.4–1.2 MiB larger. Next: fewer start-up conformance scans (ArgumentParser in guided)."))
        }
        if !roundTrip.guidedIdle.isEmpty {
            let p50 = Stats(roundTrip.guidedIdle).p50, running = Stats(roundTrip.guidedRunning).p50
            goals.append(
                Goal(
                    goal: "status RTT p50 ≤ 100 µs", figure: "idle \(fmt(p50, 1)) µs, running \(fmt(running, 1)) µs (mpd: \(fmt(Stats(roundTrip.mpd).p50, 1)) µs)",
                    met: max(p50, running) <= 100,
                    plan: "Plain status requests are answered on the event loop from the engine's published StatusBoard (RequestRouter), written by hand (StatusReply); profile with `perf record -g -p PID` during `guide-bench --only rtt` to see what else runs per request (Request.parse was next, ~9%)."))
        }
        if let ctl = hyperfine.first(where: { $0.name == Hyperfine.installedStatus }),
            let mpc = hyperfine.first(where: { $0.name == "mpc status" })
        {
            var figure = "median \(fmt(ctl.median)) ms vs \(fmt(mpc.median)) ms"
            if let toGuided = hyperfine.first(where: { $0.name == "C status client → guided" }),
                let toMPD = hyperfine.first(where: { $0.name == "C status client → mpd" })
            {
                figure += "; one C client: \(fmt(toGuided.median)) ms to guided, \(fmt(toMPD.median)) ms to mpd"
            }
            goals.append(
                Goal(
                    goal: "guidectl status no slower than mpc status", figure: figure,
                    met: ctl.median <= mpc.median,
                    plan: "Compare the two C-client rows of section 5: they tell the daemons' share from the CLIs'. On the guided side a new connection costs about twice mpd's CPU (perf -p during 1,000 C-client runs: 140 µs against 70 µs), nearly all of it NIO's channel set-up and teardown and the kernel; on the CLI side guidectl is a static executable (no loader, no shared libraries) whose status path makes no conformance scan and zero-fills no buffer, 90 page faults a run. Next: accept and answer a bare status connection below NIO's channel machinery."))
        }
        return goals
    }

    // MARK: - Rendering

    func render() -> String {
        var out = """
            # guide — benchmark results

            Produced by `Benchmarks/run.sh\(mode == "default" ? "" : " --\(mode)")` (mode **\(mode)**) on \(machine.date).
            Every figure stands beside a baseline measured **in the same run**: this machine has \(machine.cores) cores and other engineers build and fuzz on it at the same time, so absolute figures move from run to run; the comparison is what counts.

            | machine | |
            |---|---|
            | guide measured | \(source) |
            | cores (`nproc`) | \(machine.cores) |
            | CPU | \(machine.cpu) |
            | kernel | \(machine.kernel) |
            | Swift | \(machine.swift) |
            | baseline | \(machine.mpd); \(machine.hyperfine) |
            | ALSA | \(machine.alsa) |
            | load average at start / end | \(machine.loadAtStart) / \(machine.loadAtEnd) |

            The binaries are the root package's release builds: `guided` as `systemd/build-release.sh` builds it for installation (`swift build -c release --static-swift-stdlib`; used everywhere), `guidectl` in three builds — as installed (the same, linked `-static-executable`), with the static stdlib only, and `swift build -c release` (dynamic stdlib) — and a dynamic-stdlib `guided` for section 6. Sections 1 and 2 run concurrently with each other and with the passive /proc windows of sections 3–4 (each on its own `guided`); sections 5 and 6 run after them, alone.

            ## Goals

            | goal | figure (this run) | met? | plan if missed |
            |---|---|---|---|

            """
        for goal in goals {
            let met = goal.met.map { $0 ? "**met**" : "**missed**" } ?? "not measured"
            out += "| \(goal.goal) | \(goal.figure) | \(met) | \(goal.met == false ? goal.plan : "") |\n"
        }
        out += cueSection() + driftSection() + idleSection() + memorySection() + roundTripSection() + startupSection()
        return out
    }

    private func onsetTable(_ runs: [OnsetRun]) -> String {
        var t = """
            | player | cues detected / due | error p50 | p99 | max | min | error at last cue | drift: last − first cue | drift: last tenth − first tenth, start cue left out (medians) | trend |
            |---|---|---|---|---|---|---|---|---|---|

            """
        var firsts = ""
        for run in runs where run.failure == nil {
            firsts += "\n- \(run.label), first five cues: " + run.errorsMs.prefix(5).map { fmt($0) + " ms" }.joined(separator: ", ")
            let late = run.errorsMs.enumerated().sorted { $0.element > $1.element }.prefix(3)
            firsts += "; latest: " + late.map { "cue \($0.offset + 1) \(fmt($0.element)) ms" }.joined(separator: ", ")
        }
        defer { t += firsts + "\n" }
        for run in runs {
            if let failure = run.failure {
                t += "| \(run.label) | failed: \(failure) | | | | | | | | |\n"
                continue
            }
            let s = run.stats
            let e = run.errorsMs
            t += "| \(run.label) | \(run.onsets.count) / \(run.due.count) | \(fmt(s.p50)) ms | \(fmt(s.p99)) ms | \(fmt(s.max)) ms | \(fmt(s.min)) ms | "
            t += "\(fmt(e.last ?? .nan)) ms | \(fmt(run.driftMs)) ms | \(fmt(run.tenthDriftMs)) ms | \(fmt(run.slopeMsPerHour, 1)) ms/h |\n"
        }
        return t
    }

    private func cueSection() -> String {
        guard let cue else { return "" }
        return """

            ## 1. Cue timing

            A generated session of \(cueSchedule.steps.count) steps of 1–2 s (\(cueSchedule.offsets.count) cues, \(DurationText.minutes(cueSchedule.total))) played by `guided` to the ALSA device `file:'FIFO',raw`. A persistent reader (`tools/onset-reader.c`, compiled by run.sh) holds the FIFO open and stamps the first non-zero byte of every tone on CLOCK_MONOTONIC (a tone starts after ≥ 150 ms without sound). Due time = session start + the cue's offset; the start instant is the midpoint of the quickest of five `status` round trips sent right after `start`, minus that reply's `status.elapsed` (known to ±\(fmt(Double(cue.guided.startUncertainty) / 1000, 0)) µs). The baseline is a `/bin/sh` script of `sleep GAP; aplay -q -D <same kind of device> tone.wav` lines for the same offsets, its due times counted from the instant the shell was started; it ran at the same time as `guided`, to its own FIFO and reader. Errors are onset − due (positive: late).

            (Why a FIFO and not `file:'|reader'`: the pipe form starts its command through `/bin/sh` at every `snd_pcm_open`, and aplay opens the device once per tone, so the baseline would be charged a shell start per cue. `null`/`file` devices take samples instantly, so the reader sees a tone's first bytes as soon as they are written.)

            \(onsetTable([cue.guided, cue.baseline]))
            """
    }

    private func driftSection() -> String {
        guard let drift else { return "" }
        return """

            ## 2. Long-run drift

            A session of \(driftSchedule.steps.count) steps of 30 s (\(DurationText.minutes(driftSchedule.total)), \(driftSchedule.offsets.count) cues: step starts, countdown ticks at −3, −2, −1 s, the end), measured as in section 1; `--long` runs 1 h, the default 5 min, `--quick` 1 min. "Drift" is the onset error at the end minus the onset error at the start; "trend" is the least-squares slope of the error over the session.

            \(onsetTable([drift.guided, drift.baseline]))
            """
    }

    private func idleSection() -> String {
        var out = """

            ## 3. Idle cost

            Wake-ups = voluntary + nonvoluntary context switches summed over every thread in `/proc/PID/task/*/status`, over \(Int(plan.window)) s windows; CPU = the threads' run time from `/proc/PID/task/*/schedstat` (ns resolution), and utime+stime from `/proc/PID/stat` (10 ms ticks, whole process). `guided` runs with `--audio-device null`; it has no connection open during the windows. The quiet windows (idle, paused, idle after the session) start \(Int(IdleCost.settle)) s after the last client connection closed and the state changed, so they show the steady state: in the seconds right after a change a few one-off wake-ups are due — the player releases the sound device 5 s after its last sound, and a closed connection's 30 s idle timer still fires NIO's timerfd once (NIO does not disarm a cancelled timer); a run that started its windows 1 s after the change counted 2–4 such wake-ups per state, none later. *Running* is a session of 20 s steps (a step cue and three countdown ticks per step). Baseline: an idle `mpd` (null output, no clients) over the very same windows.

            | state | guided wake-ups/s | guided wake-ups | CPU (schedstat) | utime+stime | threads | cue deadlines in window | baseline: mpd wake-ups/s | mpd CPU |
            |---|---|---|---|---|---|---|---|---|

            """
        for (g, m, due) in idle.windows {
            out += "| \(g.label) | \(fmt(g.perSecond, 3)) | \(g.switches) | \(fmt(Double(g.cpuNs) / 1e6, 3)) ms | \(g.ticks * 10) ms | \(g.threads)\(g.born + g.died > 0 ? " (+\(g.born) −\(g.died))" : "") | \(due) | \(fmt(m.perSecond, 3)) | \(fmt(Double(m.cpuNs) / 1e6, 3)) ms |\n"
        }
        if let failure = idle.failure { out += "\nFailed after these windows: \(failure)\n" }
        out += "\nWhich threads woke (guided, per window): \n\n"
        for (g, m, _) in idle.windows {
            out += "- \(g.label): \(g.detail); mpd: \(m.detail)\n"
        }
        return out
    }

    private func memorySection() -> String {
        var out = """

            ## 4. Memory

            VmRSS, VmHWM (peak) and RssAnon (the private, anonymous part of VmRSS; the rest is file-backed pages shared with the page cache) from `/proc/PID/status`. Subscribers are connections that sent `subscribe` (guided) or `idle` (mpd's way of waiting for events), all held open at once.

            | state | guided VmRSS | guided VmHWM | guided RssAnon | baseline: mpd VmRSS | mpd VmHWM | mpd RssAnon |
            |---|---|---|---|---|---|---|

            """
        for (label, g, m) in idle.memory {
            out += "| \(label) | \(fmtBytes(g.rss)) | \(fmtBytes(g.hwm)) | \(fmtBytes(g.anon)) | \(m.map { fmtBytes($0.rss) } ?? "–") | \(m.map { fmtBytes($0.hwm) } ?? "–") | \(m.map { fmtBytes($0.anon) } ?? "–") |\n"
        }
        return out
    }

    private func roundTripSection() -> String {
        var out = """

            ## 5. Status round trip

            One open connection each, `{"id":1,"command":"status"}` → one reply line (guided), `status` → lines up to `OK` (mpd); \(plan.roundTrips) requests per target after 2,000 warm-up requests, in 20 interleaved blocks so that all three see the same load. *running* is a daemon in the middle of a session (a larger status, cues firing every few seconds on a `null` device).

            | target | requests | p50 | p99 | p99.9 | max | mean |
            |---|---|---|---|---|---|---|

            """
        if let failure = roundTrip.failure { out += "\nFailed: \(failure)\n" }
        for (label, values) in [("guided, idle", roundTrip.guidedIdle), ("guided, running a session", roundTrip.guidedRunning), ("baseline: mpd, stopped", roundTrip.mpd)] {
            let s = Stats(values)
            out += "| \(label) | \(s.count) | \(fmt(s.p50, 1)) µs | \(fmt(s.p99, 1)) µs | \(fmt(s.percentile(99.9), 1)) µs | \(fmt(s.max, 0)) µs | \(fmt(s.mean, 1)) µs |\n"
        }
        out += """

            Whole process, `hyperfine -N --warmup 20`, \(plan.hyperfineRuns) runs of each command in \(plan.hyperfineRounds) rounds of all of them (times pooled; one hyperfine run measures its commands one after the other, and a busy spell on this shared machine would otherwise fall on one of them), against the *running* daemon and the same mpd. The last two rows run one small static C program (`tools/status-client.c`: connect, one request, read the reply) against each daemon: the difference between them is the daemons' share alone, and each row's distance from the CLI row above it is that CLI's own cost.

            | command | runs | mean ± σ | median | min | max |
            |---|---|---|---|---|---|

            """
        if let failure = hyperfineFailure { out += "\nFailed: \(failure)\n" }
        for r in hyperfine {
            out += "| \(r.name) | \(r.runs) | \(fmt(r.mean)) ± \(fmt(r.stddev)) ms | \(fmt(r.median)) ms | \(fmt(r.min)) ms | \(fmt(r.max)) ms |\n"
        }
        let sample = statusSample.trimmingCharacters(in: .whitespacesAndNewlines)
        let mpc = mpcSample.trimmingCharacters(in: .whitespacesAndNewlines)
        out += "\nWhat they print: `guidectl status` → `\(sample)`; `mpc status` → `\(mpc.replacingOccurrences(of: "\n", with: " ⏎ "))`.\n"
        return out
    }

    private func startupSection() -> String {
        var out = """

            ## 6. Startup and size

            Start (just before `posix_spawn`) → the socket accepts a connection (polled every 0.1 ms), and → the first `status` reply; \(plan.startupRuns) starts of each, interleaved. Baseline: `mpd --no-daemon` with the temporary config of section 5.

            | daemon | runs | start → accepts p50 | max | start → first status reply p50 | max |
            |---|---|---|---|---|---|

            """
        if let failure = startup.failure { out += "\nFailed: \(failure)\n" }
        for label in ["guided (static stdlib)", "guided (dynamic stdlib)", "mpd"] {
            let a = Stats(startup.acceptMs[label] ?? []), r = Stats(startup.replyMs[label] ?? [])
            out += "| \(label) | \(a.count) | \(fmt(a.p50)) ms | \(fmt(a.max)) ms | \(fmt(r.p50)) ms | \(fmt(r.max)) ms |\n"
        }
        out += """

            | binary | `--static-swift-stdlib` | shared libraries | dynamic stdlib | shared libraries |
            |---|---|---|---|---|

            """
        for (name, s, d) in sizes {
            out += "| \(name) | \(fmtBytes(fileSize(s))) | \(sharedLibraries(s)) | \(fmtBytes(fileSize(d))) | \(sharedLibraries(d)) |\n"
        }
        for (name, path) in [("mpd", "mpd"), ("mpc", "mpc")] {
            if let full = whichPath(path) {
                out += "| baseline: \(name) (\(full)) | \(fmtBytes(fileSize(full))) | \(sharedLibraries(full)) | | |\n"
            }
        }
        if !installedCtl.isEmpty {
            out += "| guidectl as installed (`-static-executable`) | \(fmtBytes(fileSize(installedCtl))) | \(sharedLibraries(installedCtl)) | | |\n"
        }
        let i = hyperfine.first { $0.name == Hyperfine.installedStatus }
        let s = hyperfine.first { $0.name.contains("(static stdlib)") }, d = hyperfine.first { $0.name.contains("dynamic") }
        if let i, let s, let d {
            out += "\n`guidectl status` start-up (section 5): installed static executable \(fmt(i.median)) ms, static stdlib \(fmt(s.median)) ms, dynamic stdlib \(fmt(d.median)) ms median. A static Swift stdlib spares the loader the Swift libraries and does not need the toolchain's `lib/swift/linux` (DESIGN §6); a fully static executable also spares it libc and libstdc++, so `systemd/install.sh` installs guidectl that way. `guided` keeps the static stdlib with a dynamic libc: it `dlopen`s libespeak-ng and ALSA plugins, which a static executable cannot do safely, and starts once.\n"
        }
        return out
    }
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
}

func sharedLibraries(_ path: String) -> String {
    guard let output = try? runCapture(["ldd", path]).output else { return "?" }
    return "\(output.split(separator: "\n").filter { $0.contains("=>") }.count)"
}

func whichPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let full = "\(dir)/\(name)"
        if access(full, X_OK) == 0 { return full }
    }
    return nil
}

enum DurationText {
    static func minutes(_ seconds: Double) -> String {
        seconds >= 120 ? "\(fmt(seconds / 60, 1)) min" : "\(fmt(seconds, 0)) s"
    }
}
