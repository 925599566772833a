import Dispatch
import Foundation
import Glibc

/// guide-bench: runs every benchmark of issue 8 against the release binaries and writes
/// RESULTS.md. Usually started by Benchmarks/run.sh, which builds what it needs.
///
///     guide-bench --mode quick|default|long --static DIR --dynamic DIR --installed DIR
///                 --client PATH --reader PATH --tone WAV --work DIR --out RESULTS.md
///
/// `--installed` holds the binaries as systemd/install.sh installs them (guidectl a static
/// executable); `--client` is tools/status-client.c, built by run.sh.
///
/// `--only rtt --static DIR [--work DIR] [--count N]` runs just the status round-trip
/// section (guided idle, guided running a session, mpd) and prints its table to stdout;
/// RESULTS.md is left alone.

struct Options {
    var mode = "default"
    var staticDir = ""
    var dynamicDir = ""
    var installedDir = ""
    var client = ""
    var reader = ""
    var tone = ""
    var work = ""
    var out = "RESULTS.md"
    var source = "unknown"
    /// `rtt`: only the round-trip section, printed, not written.
    var only: String?
    /// Round trips per target (default: the mode's).
    var count: Int?

    static func parse(_ args: [String]) -> Options {
        var o = Options()
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--mode": o.mode = value()
            case "--static": o.staticDir = value()
            case "--dynamic": o.dynamicDir = value()
            case "--installed": o.installedDir = value()
            case "--client": o.client = value()
            case "--reader": o.reader = value()
            case "--tone": o.tone = value()
            case "--work": o.work = value()
            case "--out": o.out = value()
            case "--source": o.source = value()
            case "--only": o.only = value()
            case "--count":
                guard let n = Int(value()), n >= 20 else { fail("--count needs a whole number of at least 20") }
                o.count = n
            default: fail("unknown argument \(args[i]); see Benchmarks/run.sh")
            }
            i += 1
        }
        guard ["quick", "default", "long"].contains(o.mode) else { fail("--mode is quick, default or long") }
        if let only = o.only {
            guard only == "rtt" else { fail("--only takes rtt") }
            if o.staticDir.isEmpty { fail("--only rtt needs --static DIR (the directory holding guided)") }
            return o
        }
        for (flag, v) in [
            ("--static", o.staticDir), ("--dynamic", o.dynamicDir), ("--installed", o.installedDir), ("--client", o.client),
            ("--reader", o.reader), ("--tone", o.tone), ("--work", o.work),
        ]
        where v.isEmpty {
            fail("\(flag) is required; run Benchmarks/run.sh")
        }
        return o
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("guide-bench: \(message)\n".utf8))
    exit(64)
}

func say(_ message: String) {
    FileHandle.standardError.write(Data("guide-bench: \(message)\n".utf8))
}

/// How big each section is in each mode.
struct Plan {
    var cueSteps = 300
    var driftSeconds = 300.0
    var window = 60.0
    var subscribers = 200
    var roundTrips = 100_000
    var hyperfineRuns = 500
    /// hyperfine is run this many times, each command a share of the runs per round, so
    /// that a slow minute on this shared machine falls on all of them alike.
    var hyperfineRounds = 5
    var startupRuns = 20

    init(mode: String) {
        switch mode {
        case "quick":
            cueSteps = 60
            driftSeconds = 60
            window = 15
        case "long":
            driftSeconds = 3600
        default:
            break
        }
    }
}

signal(SIGPIPE, SIG_IGN)
let options = Options.parse(CommandLine.arguments)
var plan = Plan(mode: options.mode)
if let count = options.count { plan.roundTrips = count }
if options.only == "rtt" {
    exit(RoundTrip.runAlone(guided: options.staticDir + "/guided", work: options.work, count: plan.roundTrips))
}
var machine = Machine.describe()
let staticGuided = options.staticDir + "/guided", staticCtl = options.staticDir + "/guidectl"
let dynamicGuided = options.dynamicDir + "/guided", dynamicCtl = options.dynamicDir + "/guidectl"
let installedCtl = options.installedDir + "/guidectl"
for path in [staticGuided, staticCtl, dynamicGuided, dynamicCtl, installedCtl, options.client, options.reader, options.tone] where access(path, R_OK) != 0 {
    fail("missing \(path); run Benchmarks/run.sh")
}
let work = options.work
var report = Report(mode: options.mode, plan: plan)
report.source = options.source

say("mode \(options.mode): mpd baseline")
let mpd: MPDInstance
do {
    mpd = try MPDInstance(root: work + "/mpd")
} catch {
    fail("cannot start mpd: \(error) (see \(work)/mpd/mpd.stderr)")
}

// 1 and 2: cue timing and long-run drift, guided and the aplay loop side by side, while
// section 3 measures a third daemon (its windows are passive: reading /proc).
let cueSchedule = Schedule.cues(steps: plan.cueSteps)
let driftSchedule = Schedule.drift(seconds: plan.driftSeconds)
say("cue timing: \(cueSchedule.offsets.count) cues over \(Int(cueSchedule.total)) s; drift: \(driftSchedule.offsets.count) cues over \(Int(driftSchedule.total)) s")
let results = NSLock()
nonisolated(unsafe) var runs: [String: OnsetRun] = [:]
let timing = DispatchGroup()
for (key, job) in [
    ("cue-guided", { CueRuns.guided(cueSchedule, binary: staticGuided, reader: options.reader, directory: work + "/cue-guided") }),
    ("cue-aplay", { CueRuns.aplayLoop(cueSchedule, tone: options.tone, reader: options.reader, directory: work + "/cue-aplay") }),
    ("drift-guided", { CueRuns.guided(driftSchedule, binary: staticGuided, reader: options.reader, directory: work + "/drift-guided") }),
    ("drift-aplay", { CueRuns.aplayLoop(driftSchedule, tone: options.tone, reader: options.reader, directory: work + "/drift-aplay") }),
] as [(String, () -> OnsetRun)] {
    timing.enter()
    Thread.detachNewThread {
        let run = job()
        results.lock()
        runs[key] = run
        results.unlock()
        timing.leave()
    }
}

say("idle cost: three windows of \(Int(plan.window)) s, then memory with \(plan.subscribers) subscribers")
report.idle = IdleCost.run(binary: staticGuided, directory: work + "/idle", mpd: mpd, window: plan.window, subscribers: plan.subscribers)
say("waiting for the timing runs")
timing.wait()
report.cue = (runs["cue-guided"]!, runs["cue-aplay"]!)
report.drift = (runs["drift-guided"]!, runs["drift-aplay"]!)
report.cueSchedule = cueSchedule
report.driftSchedule = driftSchedule

say("status round trips: \(plan.roundTrips) per target")
do {
    try RoundTrip.withDaemons(binary: staticGuided, directory: work) { idle, running in
        report.roundTrip = RoundTrip.run(idle: idle, running: running, mpd: mpd, count: plan.roundTrips)

        say("guidectl status vs mpc status: hyperfine, \(plan.hyperfineRuns) runs each in \(plan.hyperfineRounds) rounds")
        var env = ProcessInfo.processInfo.environment
        env["GUIDE_SOCKET"] = running.socket
        env["MPD_HOST"] = mpd.socket
        do {
            report.hyperfine = try Hyperfine.run(
                [
                    (Hyperfine.installedStatus, "\(installedCtl) status"),
                    ("guidectl status (static stdlib)", "\(staticCtl) status"),
                    ("guidectl status (dynamic stdlib)", "\(dynamicCtl) status"),
                    ("mpc status", "mpc status"),
                    ("C status client → guided", "\(options.client) \(running.socket)"),
                    ("C status client → mpd", "\(options.client) --mpd \(mpd.socket)"),
                ], runs: plan.hyperfineRuns, rounds: plan.hyperfineRounds, environment: env, export: work + "/hyperfine")
        } catch {
            report.hyperfineFailure = "\(error)"
        }
        report.statusSample = (try? runCapture([installedCtl, "status"], environment: env).output) ?? ""
        report.mpcSample = (try? runCapture(["mpc", "status"], environment: env).output) ?? ""
    }
} catch {
    report.roundTrip.failure = "\(error)"
}
mpd.stop()

say("startup: \(plan.startupRuns) starts of each daemon")
report.startup = Startup.run(
    guided: [("guided (static stdlib)", staticGuided), ("guided (dynamic stdlib)", dynamicGuided)], directory: work + "/startup",
    runs: plan.startupRuns)
report.sizes = [
    ("guided", staticGuided, dynamicGuided),
    ("guidectl", staticCtl, dynamicCtl),
]
report.installedCtl = installedCtl
machine.loadAtEnd = Machine.load()
report.machine = machine

do {
    try report.render().write(toFile: options.out, atomically: true, encoding: .utf8)
    say("wrote \(options.out)")
} catch {
    fail("cannot write \(options.out): \(error)")
}
