import GuideProtocol
import GuideCore

/// Human renderings of a ``Status`` and of ``Event``s, for `guidectl status`, `start` and
/// `watch`. Pure: every input (including the wall-clock time of an event line) comes in as
/// a value, so the exact text is unit-tested.
public enum StatusFormatter {
    /// The symbol that leads a line: `▶` running, `⏸` paused, `✓` finished, none when idle.
    public static func symbol(for state: Status.State) -> String {
        switch state {
        case .running: "▶"
        case .paused: "⏸"
        case .finished: "✓"
        case .idle: ""
        }
    }

    /// `status`: one short line, with ` · no sound` at its end when the sound device failed
    /// (the error itself is in ``long(_:)``, the status JSON and the daemon's log).
    ///
    /// - `▶ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go`
    /// - `⏸ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go`
    /// - `✓ cooldown finished`
    /// - `idle`
    public static func human(_ status: Status, style: TextStyle = .plain) -> String {
        summary(status, style: style) + (audioTrouble(status) ? audioMarker : "")
    }

    /// The marker of a failed sound device on a one-line status.
    public static let audioMarker = " · no sound"

    /// Whether the daemon reports that the sound device failed.
    public static func audioTrouble(_ status: Status) -> Bool {
        status.audio.map { !$0.ok } ?? false
    }

    /// ``human(_:style:)`` without the audio marker.
    public static func summary(_ status: Status, style: TextStyle = .plain) -> String {
        guard let session = status.session, status.state != .idle else { return "idle" }
        if status.state == .finished { return "\(style.glyph(.finished)) \(session) finished" }
        var line = "\(style.glyph(status.state)) \(session)"
        if let round = status.round, round.count > 1 { line += "  round \(round.index)/\(round.count)" }
        if let step = status.step {
            line += "  \(stepLabel(step))  \(DurationText.clock(step.remaining)) left"
        }
        line += " · \(DurationText.clock(status.remaining)) to go"
        if status.restored {
            line += status.state == .paused
                ? "  (restored after a restart; 'guidectl resume' goes on)" : "  (restored after a restart)"
        }
        if status.state == .paused, let reason = status.pauseReason {
            line += "  (paused: \(reason); 'guidectl resume' goes on)"
        }
        return line
    }

    /// `status --long`: the one line, then what comes next, the sound device and its
    /// error, and when the session started.
    public static func long(_ status: Status, style: TextStyle = .plain) -> String {
        var lines = [summary(status, style: style)]
        if let title = status.title, status.state != .idle { lines.append("title: \(title)") }
        if let step = status.step, let instructions = step.instructions, !instructions.isEmpty, status.state != .idle {
            lines.append("now: \(instructions)")
        }
        if let next = status.next, status.state == .running || status.state == .paused {
            lines.append("next: \(next.name)\(sideSuffix(next.side)) \(DurationText.clock(next.duration))")
        }
        if let started = status.startedAt, status.state != .idle { lines.append("started: \(started)") }
        if let audio = status.audio {
            lines.append(audio.ok ? "audio: \(audio.device) ok" : audioLine(status) ?? "audio: device \(audio.device) failed")
        }
        return lines.joined(separator: "\n")
    }

    /// `audio: <error>` when the daemon reports that the sound device failed, else nil.
    public static func audioLine(_ status: Status) -> String? {
        guard let audio = status.audio, !audio.ok else { return nil }
        return "audio: \(audio.error ?? "device \(audio.device) failed")"
    }

    /// `3/9 Knee-to-chest (left)`.
    public static func stepLabel(_ step: Status.StepStatus) -> String {
        "\(step.index)/\(step.count) \(step.name)\(sideSuffix(step.side))"
    }

    /// ` (left)`, ` (right)` or nothing.
    public static func sideSuffix(_ side: Side?) -> String {
        side.map { " (\($0.rawValue))" } ?? ""
    }

    /// `[#######-------]`: `width` cells between the brackets, `fraction` (0…1, clamped) of
    /// them filled, rounded down so the bar is full only at the very end.
    public static func progressBar(fraction: Double, width: Int) -> String {
        let width = max(0, width)
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let filled = min(width, Int((clamped * Double(width)).rounded(.down)))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// The line `watch` redraws in a terminal, at most `columns - 1` characters wide (so
    /// that it never wraps and `\r` can redraw it) when `columns` is known:
    /// `▶ cooldown [#######-------] 3/9 Knee-to-chest (left) 0:12 · 4:31 to go`.
    ///
    /// The time left in the step is never cut. When the line is too wide, the other parts
    /// give way in this order: the `no sound` marker, the time to go, the progress bar,
    /// the session's name, the step's number; then the step's name is shortened with `…`.
    public static func liveLine(_ status: Status, barWidth: Int = 20, columns: Int? = nil, style: TextStyle = .plain) -> String {
        let limit = columns.map { $0 - 1 }
        switch status.state {
        case .idle:
            let line = "idle: waiting for a session (Ctrl-C to quit)"
            return limit.map { truncated(line, to: $0) } ?? line
        case .finished:
            let line = summary(status, style: .plain)
            guard let limit, line.count > limit else { return summary(status, style: style) }
            return truncated(line, to: limit)
        case .running, .paused:
            break
        }
        let parts = LiveParts(status: status, barWidth: barWidth)
        // Richest first; the first that fits is drawn.
        let variants: [LiveParts.Shown] = [
            .init(),
            .init(audio: false),
            .init(audio: false, toGo: false),
            .init(audio: false, toGo: false, bar: false),
            .init(audio: false, toGo: false, bar: false, session: false),
            .init(audio: false, toGo: false, bar: false, session: false, number: false),
        ]
        for shown in variants {
            let plain = parts.render(shown, style: .plain)
            if let limit, plain.count > limit { continue }
            return parts.render(shown, style: style)
        }
        // Even the leanest is too wide: shorten the step's name, keep the time.
        let leanest = variants[variants.count - 1]
        let plain = parts.render(leanest, style: .plain)
        let over = plain.count - (limit ?? plain.count)
        let name = parts.stepName
        let shortened = name.count - over >= 2 ? String(name.prefix(name.count - over - 1)) + "…" : ""
        var shown = leanest
        shown.stepName = shortened
        let line = parts.render(shown, style: style)
        if let limit, parts.render(shown, style: .plain).count > limit {
            // Only the glyph and the time left remain.
            return parts.essential(style: style)
        }
        return line
    }

    /// One line per event, for `watch` when stdout is not a terminal:
    /// `18:02:11 step 3/9 Knee-to-chest (left) 0:45`. `time` is the local wall-clock time.
    public static func eventLine(_ event: Event, time: String) -> String {
        let status = event.status
        let session = status.session ?? ""
        func step(_ suffix: String = "") -> String {
            guard let step = status.step else { return session }
            return "\(stepLabel(step)) \(DurationText.clock(step.remaining))\(suffix)"
        }
        let text: String
        switch event.event {
        case .started: text = "started \(session) \(step())"
        case .step, .side: text = "\(event.event.rawValue) \(step())"
        case .countdown: text = "countdown \(event.secondsLeft.map(String.init) ?? "")"
        case .paused, .resumed: text = "\(event.event.rawValue) \(step(" left"))"
        case .finished: text = "finished \(session)"
        case .stopped: text = "stopped \(session)" + (event.message.map { " (\($0))" } ?? "")
        case .audio: text = "audio " + (event.message ?? audioLine(status) ?? "ok")
        case .reloaded: text = "reloaded " + (event.message ?? "")
        case .reminder:
            let r = event.reminder
            if let outcome = r?.outcome {
                text = "reminder \(r?.name ?? "") \(outcome)" + (r?.amount.map { " \(Amount.format($0))" } ?? "")
            } else {
                text = "reminder \(r?.name ?? ""): \(r?.text ?? "")" + (r?.kind == "due" || r?.kind == nil ? "" : " (\(r?.kind ?? ""))")
            }
        }
        let line = "\(time) \(text)"
        return line.hasSuffix(" ") ? String(line.dropLast()) : line
    }

    /// `text` cut to `limit` characters, ending in `…` when it was cut.
    public static func truncated(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
