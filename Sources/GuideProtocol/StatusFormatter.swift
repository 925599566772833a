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

    /// `status`: one line, plus `audio: …` on a second line when the device failed.
    ///
    /// - `▶ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go`
    /// - `⏸ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go`
    /// - `✓ cooldown finished`
    /// - `idle`
    public static func human(_ status: Status) -> String {
        var text = summary(status)
        if let audio = audioLine(status) { text += "\n" + audio }
        return text
    }

    /// The first line of ``human(_:)``.
    public static func summary(_ status: Status) -> String {
        guard let session = status.session, status.state != .idle else { return "idle" }
        if status.state == .finished { return "✓ \(session) finished" }
        var line = "\(symbol(for: status.state)) \(session)"
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

    /// The line `watch` redraws in a terminal, cut to `columns - 1` characters (so that it
    /// never wraps and `\r` can redraw it) when `columns` is known:
    /// `▶ cooldown [#######-------] 3/9 Knee-to-chest (left) 0:12`.
    public static func liveLine(_ status: Status, barWidth: Int = 20, columns: Int? = nil) -> String {
        var line: String
        switch status.state {
        case .idle:
            line = "idle: waiting for a session (Ctrl-C to quit)"
        case .finished:
            line = summary(status)
        case .running, .paused:
            line = "\(symbol(for: status.state)) \(status.session ?? "") \(progressBar(fraction: status.progress / 100, width: barWidth))"
            if let step = status.step {
                line += " \(stepLabel(step)) \(DurationText.clock(step.remaining))"
            }
            if status.state == .paused { line += " (paused)" }
        }
        if let audio = audioLine(status) { line += " · " + audio }
        if let columns { line = truncated(line, to: columns - 1) }
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
