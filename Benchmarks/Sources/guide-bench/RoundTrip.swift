import Foundation
import Glibc

/// `status` request→reply on one open connection, in µs.
struct RoundTripReport {
    var guidedIdle: [Double] = []
    var guidedRunning: [Double] = []
    var mpd: [Double] = []
    var failure: String?
}

enum RoundTrip {
    /// `count` round trips per target, in interleaved blocks so that all three see the
    /// same machine load.
    static func run(idle: GuidedInstance, running: GuidedInstance, mpd: MPDInstance, count: Int, blocks: Int = 20) -> RoundTripReport {
        var report = RoundTripReport()
        do {
            let guidedRequest = Array(#"{"id":1,"command":"status"}"#.utf8) + [0x0A]
            let mpdRequest = Array("status\n".utf8)
            let gi = try idle.connect(), gr = try running.connect()
            let m = try LineSocket(path: mpd.socket)
            _ = try m.readLine()  // greeting
            let guidedDone: (UnsafeBufferPointer<UInt8>) -> Bool = { $0.last == 0x0A }
            let mpdDone: (UnsafeBufferPointer<UInt8>) -> Bool = { b in
                let n = b.count
                guard n >= 3, b[n - 1] == 0x0A else { return false }
                if b[n - 3] == 0x4F && b[n - 2] == 0x4B && (n == 3 || b[n - 4] == 0x0A) { return true }  // OK
                return b.starts(with: Array("ACK".utf8))
            }
            func time(_ s: LineSocket, _ req: [UInt8], _ done: (UnsafeBufferPointer<UInt8>) -> Bool, _ n: Int, into: inout [Double]) throws {
                for _ in 0..<n {
                    let t0 = Monotonic.now()
                    try s.roundTrip(req, complete: done)
                    into.append(Double(Monotonic.now() - t0) / 1000)
                }
            }
            var discard: [Double] = []
            try time(gi, guidedRequest, guidedDone, 2000, into: &discard)  // warm-up
            try time(gr, guidedRequest, guidedDone, 2000, into: &discard)
            try time(m, mpdRequest, mpdDone, 2000, into: &discard)
            let per = count / blocks
            report.guidedIdle.reserveCapacity(count)
            report.guidedRunning.reserveCapacity(count)
            report.mpd.reserveCapacity(count)
            for _ in 0..<blocks {
                try time(gi, guidedRequest, guidedDone, per, into: &report.guidedIdle)
                try time(gr, guidedRequest, guidedDone, per, into: &report.guidedRunning)
                try time(m, mpdRequest, mpdDone, per, into: &report.mpd)
            }
        } catch {
            report.failure = "\(error)"
        }
        return report
    }
}

extension RoundTrip {
    /// `--only rtt`: section 5's round trips on their own (a guided idle, one running a
    /// session, mpd), printed as its table. Returns the exit status.
    /// The two daemons section 5 measures: one idle, one in the middle of a 30 min
    /// session; both stopped when `body` returns.
    static func withDaemons<T>(binary: String, directory: String, _ body: (GuidedInstance, GuidedInstance) throws -> T) throws -> T {
        let background = Schedule.background(minutes: 30)
        let idle = try GuidedInstance(binary: binary, root: directory + "/rtt-idle")
        defer { idle.stop() }
        let running = try GuidedInstance(binary: binary, root: directory + "/rtt-running", sessions: ["bench-background": background.json])
        defer { running.stop() }
        let c = try running.connect()
        _ = try c.request(#"{"id": 1, "command": "start", "session": "bench-background"}"#)
        return try body(idle, running)
    }

    static func runAlone(guided binary: String, work: String, count: Int) -> Int32 {
        guard access(binary, X_OK) == 0 else { fail("missing \(binary)") }
        var directory = work
        var temporary = false
        if directory.isEmpty {
            var template = Array("/tmp/guide-bench-rtt.XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { fail("cannot create a temporary directory") }
            directory = String(cString: made)
            temporary = true
        }
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        let mpd: MPDInstance
        do {
            mpd = try MPDInstance(root: directory + "/mpd")
        } catch {
            say("cannot start mpd: \(error) (see \(directory)/mpd/mpd.stderr)")
            return 1
        }
        defer { mpd.stop() }
        say("status round trips: \(count) per target")
        var report: RoundTripReport
        do {
            report = try withDaemons(binary: binary, directory: directory) { idle, running in
                run(idle: idle, running: running, mpd: mpd, count: count)
            }
        } catch {
            report = RoundTripReport()
            report.failure = "\(error)"
        }
        print(report.table(), terminator: "")
        return report.failure == nil ? 0 : 1
    }
}

extension RoundTripReport {
    /// The table of RESULTS.md's section 5.
    func table() -> String {
        var out = """
            | target | requests | p50 | p99 | p99.9 | max | mean |
            |---|---|---|---|---|---|---|

            """
        for (label, values) in [("guided, idle", guidedIdle), ("guided, running a session", guidedRunning), ("baseline: mpd, stopped", mpd)] {
            let s = Stats(values)
            out += "| \(label) | \(s.count) | \(fmt(s.p50, 1)) µs | \(fmt(s.p99, 1)) µs | \(fmt(s.percentile(99.9), 1)) µs | \(fmt(s.max, 0)) µs | \(fmt(s.mean, 1)) µs |\n"
        }
        if let failure { out += "\nFailed: \(failure)\n" }
        return out
    }
}
