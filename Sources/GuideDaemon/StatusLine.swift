import GuideCore

/// One-line summaries of a status, for systemd's STATUS= and logs.
public enum StatusLine {
    /// `cooldown 3/9 Knee-to-chest (left)`, `cooldown paused 3/9 …`, `cooldown finished` or `idle`.
    public static func systemd(_ status: Status) -> String {
        guard let session = status.session, let step = status.step else { return "idle" }
        switch status.state {
        case .idle: return "idle"
        case .finished: return "\(session) finished"
        case .running, .paused:
            let side = step.side.map { " (\($0.rawValue))" } ?? ""
            let paused = status.state == .paused ? "paused " : ""
            return "\(session) \(paused)\(step.index)/\(step.count) \(step.name)\(side)"
        }
    }
}
