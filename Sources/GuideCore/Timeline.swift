/// A session expanded into the ordered segments it runs through (step × side × round,
/// with the round rest between rounds) and the cues due on the way.
///
/// Cue rules (docs/session-format.md, "Cues" and "Timing"):
/// - the first segment starts with the `start` cue (it stands for that segment's own start cue);
/// - every other segment starts with `side` (the right side of a two-sided step), `rest`
///   (a rest step or a round rest) or `step`;
/// - segments of 10 s or more get `countdown` ticks 3, 2 and 1 s before their end;
/// - `end` sounds when the last segment is over.
public struct Timeline: Sendable, Hashable {
    public let segments: [Segment]
    public let cues: [Cue]
    public let total: Duration

    /// Countdown ticks go into segments at least this long.
    public static let countdownMinimum = Duration.seconds(10)

    public init(_ session: Session) {
        var segments: [Segment] = []
        var offset = Duration.zero
        for round in 1...max(1, session.rounds) {
            if round > 1, let rest = session.roundRest {
                segments.append(
                    Segment(
                        index: segments.count, stepIndex: session.steps.count - 1, name: "Rest before round \(round)",
                        side: nil, rest: true, isRoundRest: true, round: round - 1, offset: offset, duration: rest,
                        instructions: nil))
                offset += rest
            }
            for (stepIndex, step) in session.steps.enumerated() {
                for side in step.sides ? [Side.left, .right] : [nil] {
                    segments.append(
                        Segment(
                            index: segments.count, stepIndex: stepIndex, name: step.name, side: side, rest: step.rest,
                            isRoundRest: false, round: round, offset: offset, duration: step.duration,
                            instructions: step.instructions))
                    offset += step.duration
                }
            }
        }
        var cues: [Cue] = []
        func add(_ kind: CueKind, _ at: Duration, _ segment: Int, _ left: Int = 0) {
            cues.append(Cue(index: cues.count, kind: kind, offset: at, segment: segment, secondsLeft: left))
        }
        for segment in segments {
            let kind: CueKind =
                segment.index == 0 ? .start : segment.side == .right ? .side : segment.rest ? .rest : .step
            add(kind, segment.offset, segment.index)
            if segment.duration >= Timeline.countdownMinimum {
                for left in [3, 2, 1] { add(.countdown, segment.end - .seconds(left), segment.index, left) }
            }
        }
        add(.end, offset, max(0, segments.count - 1))
        self.segments = segments
        self.cues = cues
        self.total = offset
    }

    /// The length of `session` without building its cue list (used by validation).
    public static func totalDuration(of session: Session) -> Duration {
        let once = session.steps.reduce(Duration.zero) { $0 + $1.duration * ($1.sides ? 2 : 1) }
        let rounds = max(1, session.rounds)
        return once * rounds + (session.roundRest ?? .zero) * (rounds - 1)
    }

    /// The segment that contains `elapsed` (the last one once the session is over).
    public func segmentIndex(at elapsed: Duration) -> Int {
        // Binary search: sessions have up to 100 rounds × 500 steps × 2 sides.
        var low = 0, high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if segments[mid].offset <= elapsed { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The index of the first cue due at or after `elapsed`.
    public func firstCue(atOrAfter elapsed: Duration) -> Int {
        var low = 0, high = cues.count
        while low < high {
            let mid = (low + high) / 2
            if cues[mid].offset < elapsed { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
