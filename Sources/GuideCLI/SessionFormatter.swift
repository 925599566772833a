import GuideProtocol
import GuideCore

/// Human renderings of the session library, for `guidectl list` and `guidectl show`.
public enum SessionFormatter {
    /// `list`: one aligned line per session, e.g.
    /// `cooldown      Back-friendly cooldown   14 steps  12m30s`.
    public static func list(_ sessions: [SessionSummary]) -> String {
        let nameWidth = sessions.map(\.name.count).max() ?? 0
        let titleWidth = sessions.map(\.title.count).max() ?? 0
        let stepsWidth = sessions.map { String($0.steps).count }.max() ?? 0
        return sessions.map { session in
            let steps = String(session.steps)
            let unit = session.steps == 1 ? "step " : "steps"
            return padded(session.name, nameWidth) + "  " + padded(session.title, titleWidth) + "  "
                + String(repeating: " ", count: stepsWidth - steps.count) + steps + " " + unit + "  "
                + DurationText.format(.milliseconds(Int64((session.total * 1000).rounded())))
        }.joined(separator: "\n")
    }

    /// `show`: title, description, caution, then the expanded timeline with each
    /// segment's start time (m:ss), length, step number, name, side and rest marker, and
    /// the total. Lines are not wrapped; the terminal does that.
    public static func plan(_ session: SessionDetail) -> String {
        var lines = ["\(session.title) (\(session.name))"]
        if let description = session.description, !description.isEmpty { lines.append(description) }
        if let caution = session.caution, !caution.isEmpty { lines.append("Caution: " + caution) }
        lines.append("")

        let starts = session.timeline.map { DurationText.clock($0.offset.rounded(.down)) }
        let lengths = session.timeline.map { format(seconds: $0.duration) }
        let totalStart = DurationText.clock(session.total.rounded(.down))
        let startWidth = max("start".count, totalStart.count, starts.map(\.count).max() ?? 0)
        let lengthWidth = max("length".count, lengths.map(\.count).max() ?? 0)
        let numberWidth = String(session.steps.count).count + 1
        lines.append(leftPadded("start", startWidth) + "  " + leftPadded("length", lengthWidth) + "  step")

        var round = 0
        var previousStep = 0
        for (i, segment) in session.timeline.enumerated() {
            let isRoundRest =
                segment.rest && segment.step <= session.steps.count && session.steps[segment.step - 1].name != segment.name
            if session.rounds > 1, !isRoundRest, segment.round != round {
                round = segment.round
                previousStep = 0
                lines.append(String(repeating: " ", count: startWidth + lengthWidth + 4) + "round \(round)/\(session.rounds)")
            }
            var number = String(repeating: " ", count: numberWidth)
            if !isRoundRest, segment.step != previousStep {
                number = leftPadded("\(segment.step).", numberWidth)
                previousStep = segment.step
            }
            var name = segment.name + StatusFormatter.sideSuffix(segment.side)
            if segment.rest { name += "  · rest" }
            lines.append(leftPadded(starts[i], startWidth) + "  " + leftPadded(lengths[i], lengthWidth) + "  " + number + " " + name)
        }
        var total = "total " + format(seconds: session.total)
        total += ", \(session.steps.count) step" + (session.steps.count == 1 ? "" : "s")
        if session.rounds > 1 { total += " × \(session.rounds) rounds" }
        lines.append(leftPadded(totalStart, startWidth) + "  " + String(repeating: " ", count: lengthWidth) + "  " + total)
        return lines.joined(separator: "\n")
    }

    /// `45s`, `1m30s`, `2h`.
    static func format(seconds: Double) -> String {
        DurationText.format(.milliseconds(Int64((seconds * 1000).rounded())))
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
