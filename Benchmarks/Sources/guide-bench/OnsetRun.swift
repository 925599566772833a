import Foundation
import Glibc

/// One run of a schedule against an onset reader: due instants and detected onsets, both
/// on CLOCK_MONOTONIC.
struct OnsetRun {
    let label: String
    let due: [Int64]
    let onsets: [Int64]
    /// ± how well the session's start instant is known, in ns.
    let startUncertainty: Int64
    var failure: String?

    /// Onset minus due time, ms, matched in order (the i-th onset is the i-th cue).
    var errorsMs: [Double] {
        zip(due, onsets).map { Double($0.1 - $0.0) / 1e6 }
    }

    var stats: Stats { Stats(errorsMs) }

    /// Error at the last cue minus error at the first.
    var driftMs: Double {
        let e = errorsMs
        guard e.count == due.count, let first = e.first, let last = e.last else { return .nan }
        return last - first
    }

    /// Median error of the last tenth of the cues minus that of the first tenth: the
    /// same question as `driftMs`, less sensitive to one noisy cue.
    var tenthDriftMs: Double {
        let e = errorsMs
        guard e.count == due.count, e.count >= 2 else { return .nan }
        // The first cue is left out: it is written right after the device opens.
        let rest = Array(e.dropFirst())
        let k = max(1, rest.count / 10)
        return Stats(Array(rest.suffix(k))).p50 - Stats(Array(rest.prefix(k))).p50
    }

    /// Least-squares slope of the error over the session, ms per hour.
    var slopeMsPerHour: Double {
        let e = errorsMs
        guard e.count == due.count, e.count > 2 else { return .nan }
        let x = due.map { Double($0 - due[0]) / 3.6e12 }
        return slope(x: x, y: e)
    }
}

/// The far end of an ALSA `file` device: a FIFO and a running onset-reader.
final class OnsetProbe {
    let fifo: String
    let log: String
    let reader: Child

    init(directory: String, readerBinary: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        fifo = directory + "/cue.fifo"
        log = directory + "/onsets.log"
        unlink(fifo)
        unlink(log)
        guard mkfifo(fifo, 0o600) == 0 else { throw BenchError("mkfifo \(fifo): \(String(cString: strerror(errno)))") }
        reader = try Child([readerBinary, fifo, log, "150"], log: directory + "/reader.stderr")
        Monotonic.sleep(seconds: 0.1)
    }

    /// The ALSA PCM name that writes raw samples into the FIFO.
    var device: String { "file:'\(fifo)',raw" }

    /// Stops the reader (after the last bytes had time to arrive) and returns the onsets.
    func finish() -> [Int64] {
        Monotonic.sleep(seconds: 0.5)
        reader.terminate()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int64($0) }
    }
}

enum CueRuns {
    /// Plays `schedule` with guided to a probe.
    static func guided(_ schedule: Schedule, binary: String, reader: String, directory: String) -> OnsetRun {
        var due: [Int64] = []
        var uncertainty: Int64 = 0
        var failure: String?
        var onsets: [Int64] = []
        do {
            let probe = try OnsetProbe(directory: directory + "/probe", readerBinary: reader)
            let daemon = try GuidedInstance(
                binary: binary, root: directory + "/daemon", sessions: ["bench-\(schedule.name)": schedule.json], audioDevice: probe.device)
            defer { daemon.stop() }
            let events = try daemon.connect()
            _ = try events.request(#"{"id": 1, "command": "subscribe"}"#)
            let control = try daemon.connect()
            let reply = try control.request(#"{"id": 2, "command": "start", "session": "bench-\#(schedule.name)"}"#)
            guard reply["ok"] as? Bool == true else { throw BenchError("start refused: \(reply)") }
            // The start reply is slow (palette, snapshot written): place the start instant
            // with the quickest of a few `status` round trips that follow it instead.
            var start: Int64 = 0
            uncertainty = .max
            for id in 3..<8 {
                let before = Monotonic.now()
                let status = try control.request(#"{"id": \#(id), "command": "status"}"#)
                let after = Monotonic.now()
                guard let elapsed = ((status["status"] as? [String: Any])?["elapsed"] as? NSNumber)?.doubleValue else {
                    throw BenchError("status without elapsed: \(status)")
                }
                if (after - before) / 2 < uncertainty {
                    uncertainty = (after - before) / 2
                    start = (before + after) / 2 - Int64((elapsed * 1e9).rounded())
                }
            }
            due = schedule.offsets.map { start + Int64(($0 * 1e9).rounded()) }
            let deadline = Monotonic.now() + Int64((schedule.total + 60) * 1e9)
            waiting: while Monotonic.now() < deadline {
                let line = try events.readLine(timeout: Double(deadline - Monotonic.now()) / 1e9)
                if line.contains(#""event":"finished""#) || line.contains(#""event": "finished""#) { break waiting }
            }
            onsets = probe.finish()
        } catch {
            failure = "\(error)"
        }
        return OnsetRun(label: "guided", due: due, onsets: onsets, startUncertainty: uncertainty, failure: failure)
    }

    /// The baseline: a shell loop `sleep GAP; aplay -D <probe> tone.wav` for the same
    /// schedule, timed from the instant the shell is started.
    static func aplayLoop(_ schedule: Schedule, tone: String, reader: String, directory: String) -> OnsetRun {
        var due: [Int64] = []
        var failure: String?
        var onsets: [Int64] = []
        do {
            let probe = try OnsetProbe(directory: directory + "/probe", readerBinary: reader)
            let offsets = schedule.offsets
            var script = "#!/bin/sh\n# \(offsets.count) cues of the \(schedule.name) schedule, the naive way.\n"
            var previous = 0.0
            for offset in offsets {
                let gap = offset - previous
                if gap > 0 { script += "sleep \(String(format: "%.3f", gap)); " }
                script += "aplay -q -D \"\(probe.device)\" \(tone)\n"
                previous = offset
            }
            let path = directory + "/loop.sh"
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            let start = Monotonic.now()
            let shell = try Child(["/bin/sh", path], log: directory + "/loop.log")
            due = offsets.map { start + Int64(($0 * 1e9).rounded()) }
            shell.wait()
            onsets = probe.finish()
        } catch {
            failure = "\(error)"
        }
        return OnsetRun(label: "sleep; aplay loop", due: due, onsets: onsets, startUncertainty: 0, failure: failure)
    }
}
