import GuideCore

/// What is said at each cue when a session speaks: the step's name, side and length at
/// its start ("Knee to chest, left side. 30 seconds."), "Switch sides." at the side cue,
/// "Last step." before the last step, "Session complete." at the end. Countdown ticks stay
/// tones only. Pure, so the texts are known (and synthesized) before they are due.
public enum VoicePrompts {
    /// One prompt: what is said after a cue's tone, and how long it has until the next cue
    /// is due (nil after the last), so that it never delays that cue.
    public struct Prompt: Sendable, Hashable {
        public var text: String
        public var room: Duration?
    }

    /// The prompt for every cue that speaks, by cue index.
    public static func script(for timeline: Timeline) -> [Int: Prompt] {
        let texts = texts(for: timeline)
        var script: [Int: Prompt] = [:]
        for (index, text) in texts {
            let next = timeline.cues.first { $0.index > index && $0.offset > timeline.cues[index].offset }
            script[index] = Prompt(text: text, room: next.map { $0.offset - timeline.cues[index].offset })
        }
        return script
    }

    /// The text for every cue that speaks, by cue index.
    public static func texts(for timeline: Timeline) -> [Int: String] {
        var script: [Int: String] = [:]
        let lastStep = timeline.segments.last { !$0.isRoundRest && $0.side != .right }
        for cue in timeline.cues {
            guard timeline.segments.indices.contains(cue.segment) else { continue }
            let segment = timeline.segments[cue.segment]
            switch cue.kind {
            case .start, .step, .rest:
                let isLast = timeline.segments.count > 1 && segment.index == lastStep?.index
                script[cue.index] = (isLast ? "Last step. " : "") + announcement(segment)
            case .side:
                script[cue.index] = "Switch sides. " + duration(segment.duration) + "."
            case .end:
                script[cue.index] = "Session complete."
            case .countdown:
                break
            }
        }
        return script
    }

    /// `Knee to chest, left side. 30 seconds.`
    public static func announcement(_ segment: Segment) -> String {
        var name = segment.name.split(separator: "-", omittingEmptySubsequences: false).joined(separator: " ")
        while name.last == "." || name.last == " " { name.removeLast() }
        if let side = segment.side { name += ", \(side.rawValue) side" }
        return "\(name). \(duration(segment.duration))."
    }

    /// `30 seconds`, `1 minute`, `1 minute 30 seconds`, `2 hours 5 minutes` (whole seconds).
    public static func duration(_ duration: Duration) -> String {
        let total = max(1, Int((Double(duration.milliseconds) / 1000).rounded()))
        func unit(_ n: Int, _ word: String) -> String? { n == 0 ? nil : "\(n) \(word)\(n == 1 ? "" : "s")" }
        return [unit(total / 3600, "hour"), unit(total % 3600 / 60, "minute"), unit(total % 60, "second")]
            .compactMap { $0 }.joined(separator: " ")
    }
}
