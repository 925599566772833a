import GuideCore
import GuideProtocol

/// The parts of `watch`'s redrawn line, and which of them a narrow terminal leaves out
/// (``StatusFormatter/liveLine(_:barWidth:columns:style:)``).
struct LiveParts {
    struct Shown {
        var audio = true
        var toGo = true
        var bar = true
        var session = true
        var number = true
        /// The step's name as drawn, when shortened.
        var stepName: String?
    }

    let status: Status
    let barWidth: Int

    var stepName: String {
        guard let step = status.step else { return "" }
        return step.name + StatusFormatter.sideSuffix(step.side)
    }

    var timeLeft: String {
        DurationText.clock(status.step?.remaining ?? status.remaining)
    }

    /// `▶ 0:12` (and `(paused)`): what is never left out.
    func essential(style: TextStyle) -> String {
        style.glyph(status.state) + " " + timeLeft + (status.state == .paused ? " (paused)" : "")
    }

    func render(_ shown: Shown, style: TextStyle) -> String {
        var words = [style.glyph(status.state)]
        if shown.session, let session = status.session { words.append(session) }
        if shown.bar {
            words.append(style.bar(StatusFormatter.progressBar(fraction: status.progress / 100, width: barWidth)))
        }
        if let step = status.step {
            if shown.number { words.append("\(step.index)/\(step.count)") }
            let name = shown.stepName ?? stepName
            if !name.isEmpty { words.append(name) }
        }
        words.append(timeLeft)
        var line = words.joined(separator: " ")
        if status.state == .paused { line += " (paused)" }
        if shown.toGo { line += " · \(DurationText.clock(status.remaining)) to go" }
        if shown.audio, StatusFormatter.audioTrouble(status) { line += StatusFormatter.audioMarker }
        return line
    }
}
