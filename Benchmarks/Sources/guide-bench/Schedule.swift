import Foundation

/// A generated session and the offsets (seconds from its start) at which its cues are
/// due, following docs/session-format.md ("Cues"): a cue at every step start (the first is the start cue),
/// countdown ticks at −3, −2, −1 s in steps of 10 s or more, and the end cue.
struct Schedule {
    let name: String
    let steps: [Double]

    var total: Double { steps.reduce(0, +) }

    var offsets: [Double] {
        var result: [Double] = []
        var at = 0.0
        for duration in steps {
            result.append(at)
            if duration >= 10 { result += [at + duration - 3, at + duration - 2, at + duration - 1] }
            at += duration
        }
        result.append(at)
        return result
    }

    var json: String {
        let list = steps.enumerated().map { #"{"name": "Step \#($0.offset + 1)", "duration": \#($0.element)}"# }
        return #"{"title": "Benchmark \#(name)", "steps": [\#(list.joined(separator: ",\n  "))]}"# + "\n"
    }

    /// Steps of 1, 1.25, 1.5, 1.75 and 2 s in turn: `count` steps give `count + 1` cues.
    static func cues(steps count: Int) -> Schedule {
        Schedule(name: "cues", steps: (0..<count).map { 1 + Double($0 % 5) * 0.25 })
    }

    /// 30 s steps (each with its countdown ticks) for `seconds`.
    static func drift(seconds: Double) -> Schedule {
        Schedule(name: "drift", steps: Array(repeating: 30, count: max(1, Int(seconds / 30))))
    }

    /// 20 s steps for the idle-cost and round-trip daemons: long enough to outlast them.
    static func background(minutes: Int) -> Schedule {
        Schedule(name: "background", steps: Array(repeating: 20, count: minutes * 3))
    }
}
