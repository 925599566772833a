import Foundation
import Glibc

/// Daemon start → socket accepts (and → first `status` reply), in ms.
struct StartupReport {
    var acceptMs: [String: [Double]] = [:]
    var replyMs: [String: [Double]] = [:]
    var failure: String?
}

enum Startup {
    /// `runs` starts of each daemon, interleaved.
    static func run(guided: [(label: String, binary: String)], directory: String, runs: Int) -> StartupReport {
        var report = StartupReport()
        do {
            for _ in 0..<runs {
                for (label, binary) in guided {
                    let daemon = try GuidedInstance(binary: binary, root: directory + "/" + label.filter { $0.isLetter })
                    let c = try daemon.connect()
                    _ = try c.request(#"{"id": 1, "command": "status"}"#)
                    let replied = Monotonic.now()
                    report.acceptMs[label, default: []].append(Double(daemon.readyAt - daemon.startedAt) / 1e6)
                    report.replyMs[label, default: []].append(Double(replied - daemon.startedAt) / 1e6)
                    daemon.stop()
                }
                let mpd = try MPDInstance(root: directory + "/mpd")
                let m = try LineSocket(path: mpd.socket)
                _ = try m.readLine()
                try m.send("status\n")
                while try m.readLine() != "OK" {}
                let replied = Monotonic.now()
                report.acceptMs["mpd", default: []].append(Double(mpd.readyAt - mpd.startedAt) / 1e6)
                report.replyMs["mpd", default: []].append(Double(replied - mpd.startedAt) / 1e6)
                mpd.stop()
            }
        } catch {
            report.failure = "\(error)"
        }
        return report
    }
}

/// One command's figures from hyperfine's JSON export, in ms.
struct HyperfineResult {
    let name: String
    let mean: Double
    let stddev: Double
    let median: Double
    let min: Double
    let max: Double
    let runs: Int
}

enum Hyperfine {
    /// The row of the binary systemd/install.sh installs; the goal is decided on it.
    static let installedStatus = "guidectl status (as installed: static executable)"

    /// Runs every command `runs` times in all, over `rounds` hyperfine runs of all of them
    /// (each with its own warm-up), and pools each command's times. One hyperfine run
    /// measures its commands one after another, so a busy spell on this shared machine
    /// would fall on one command only; spread over rounds it falls on all alike.
    static func run(
        _ commands: [(name: String, command: String)], runs: Int, rounds: Int, environment: [String: String], export: String
    ) throws -> [HyperfineResult] {
        var times: [String: [Double]] = [:]
        for round in 1...rounds {
            let file = "\(export)-\(round).json"
            var argv = ["hyperfine", "-N", "-i", "--style", "basic", "--warmup", "20", "--runs", "\(max(1, runs / rounds))", "--export-json", file]
            for (name, command) in commands { argv += ["-n", name, command] }
            let (code, output) = try runCapture(argv, environment: environment)
            guard code == 0 else { throw BenchError("hyperfine exited with \(code): \(output.suffix(500))") }
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let results = object["results"] as? [[String: Any]]
            else { throw BenchError("cannot read \(file)") }
            for r in results {
                let name = r["command"] as? String ?? "?"
                times[name, default: []] += ((r["times"] as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }.map { $0 * 1000 }
            }
        }
        return commands.map { command in
            let values = times[command.name] ?? []
            let s = Stats(values)
            let variance = values.count < 2 ? 0 : values.reduce(0) { $0 + ($1 - s.mean) * ($1 - s.mean) } / Double(values.count - 1)
            return HyperfineResult(
                name: command.name, mean: s.mean, stddev: variance.squareRoot(), median: s.p50, min: s.min, max: s.max, runs: values.count)
        }
    }
}
