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
    static func run(_ commands: [(name: String, command: String)], runs: Int, environment: [String: String], export: String) throws -> [HyperfineResult] {
        var argv = ["hyperfine", "-N", "-i", "--style", "basic", "--warmup", "20", "--runs", "\(runs)", "--export-json", export]
        for (name, command) in commands { argv += ["-n", name, command] }
        let (code, output) = try runCapture(argv, environment: environment)
        guard code == 0 else { throw BenchError("hyperfine exited with \(code): \(output.suffix(500))") }
        let data = try Data(contentsOf: URL(fileURLWithPath: export))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let results = object["results"] as? [[String: Any]]
        else { throw BenchError("cannot read \(export)") }
        return results.map { r in
            func ms(_ key: String) -> Double { ((r[key] as? NSNumber)?.doubleValue ?? .nan) * 1000 }
            return HyperfineResult(
                name: r["command"] as? String ?? "?", mean: ms("mean"), stddev: ms("stddev"), median: ms("median"),
                min: ms("min"), max: ms("max"), runs: (r["times"] as? [Any])?.count ?? 0)
        }
    }
}
