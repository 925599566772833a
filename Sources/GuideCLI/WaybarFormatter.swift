import GuideProtocol
import GuideCore

/// One line of waybar's custom-module JSON (`"return-type": "json"`) for a status:
/// `{"class":"running","percentage":34,"text":"▶ 3/9 Knee-to-chest (left) 0:12","tooltip":"…"}`.
///
/// `class` is the state (`idle`, `running`, `paused`, `finished`), so a style sheet can
/// colour each; `percentage` is the whole percent of the session done (waybar picks
/// `format-icons` by it). When idle, `text` is empty, which waybar shows as nothing.
public enum WaybarFormatter {
    public struct Output: Sendable, Equatable {
        public var text: String
        public var tooltip: String
        public var `class`: String
        public var percentage: Int

        public init(text: String, tooltip: String, class: String, percentage: Int) {
            self.text = text
            self.tooltip = tooltip
            self.class = `class`
            self.percentage = percentage
        }
    }

    /// The module's output for `status`; `template` (a `--format`) replaces the default text
    /// except when idle.
    /// `note` (e.g. why no daemon answers) goes into the idle tooltip.
    public static func output(_ status: Status, template: StatusTemplate? = nil, note: String? = nil) -> Output {
        let percentage = Int(status.progress.rounded(.down))
        switch status.state {
        case .idle:
            // Always empty, whatever the template: waybar then hides the module.
            return Output(text: "", tooltip: note ?? "guide: idle", class: "idle", percentage: 0)
        case .finished:
            let session = status.session ?? ""
            return Output(
                text: template?.render(status) ?? "✓ \(session)", tooltip: "\(status.title ?? session): finished",
                class: "finished", percentage: 100)
        case .running, .paused:
            var text = StatusFormatter.symbol(for: status.state)
            if let step = status.step {
                text += " \(step.index)/\(step.count) \(step.name)\(StatusFormatter.sideSuffix(step.side)) \(DurationText.clock(step.remaining))"
            } else {
                text += " \(status.session ?? "")"
            }
            return Output(
                text: template?.render(status) ?? text, tooltip: tooltip(status), class: status.state.rawValue,
                percentage: percentage)
        }
    }

    /// The line printed: the output as compact JSON with sorted keys, and a newline.
    public static func line(_ status: Status, template: StatusTemplate? = nil, note: String? = nil) -> String {
        String(decoding: WireCoding.encodeLine(output(status, template: template, note: note)), as: UTF8.self)
    }

    /// Several lines: the title, the step (with its instructions), time left, what is next.
    static func tooltip(_ status: Status) -> String {
        var lines = [status.title ?? status.session ?? ""]
        if status.state == .paused { lines[0] += " (paused)" }
        if let round = status.round, round.count > 1 { lines.append("round \(round.index)/\(round.count)") }
        if let step = status.step {
            lines.append("\(StatusFormatter.stepLabel(step)): \(DurationText.clock(step.remaining)) left")
            if let instructions = step.instructions, !instructions.isEmpty { lines.append(instructions) }
        }
        var total = "\(DurationText.clock(status.remaining)) to go (\(Int(status.progress.rounded(.down)))%)"
        if let next = status.next { total += " · next: \(next.name)\(StatusFormatter.sideSuffix(next.side))" }
        lines.append(total)
        if let audio = StatusFormatter.audioLine(status) { lines.append(audio) }
        return lines.joined(separator: "\n")
    }
}

extension WaybarFormatter.Output: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("class", `class`)
        w.field("percentage", percentage)
        w.field("text", text)
        w.field("tooltip", tooltip)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(text: try o.value("text"), tooltip: try o.value("tooltip"), class: try o.value("class"), percentage: try o.value("percentage"))
    }
}
