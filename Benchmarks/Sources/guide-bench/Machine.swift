import Foundation
import Glibc

/// The machine a run happened on, for the report's header.
struct Machine {
    var cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    var cpu = ""
    var kernel = ""
    var swift = ""
    var mpd = ""
    var hyperfine = ""
    var alsa = ""
    var date = ""
    var loadAtStart = ""
    var loadAtEnd = ""

    static func describe() -> Machine {
        var m = Machine()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        m.cpu = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        var names = utsname()
        uname(&names)
        m.kernel = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        func first(_ argv: [String]) -> String {
            ((try? runCapture(argv))?.output ?? "").split(separator: "\n").first.map(String.init) ?? "unknown"
        }
        m.swift = first(["swift", "--version"])
        m.mpd = first(["mpd", "--version"])
        m.hyperfine = first(["hyperfine", "--version"])
        m.alsa = (try? String(contentsOfFile: "/proc/asound/version", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? first(["aplay", "--version"])
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        m.date = formatter.string(from: Date())
        m.loadAtStart = Machine.load()
        return m
    }

    static func load() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
