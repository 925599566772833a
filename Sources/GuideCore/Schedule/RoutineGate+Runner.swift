extension RoutineGate {
    /// The gate of the session `runner` runs, read now: seconds since its last boundary cue
    /// (start, step, side switch), until its next one (the end cue on the last step) and
    /// until its next cue of any kind. A finished or idle runner holds nothing back.
    public init<C: Clock>(runner: Runner<C>) where C.Duration == Duration {
        guard let timeline = runner.timeline, runner.state == .running || runner.state == .paused else {
            self = .none
            return
        }
        let now = runner.elapsed
        let cues = timeline.cues
        let next = min(runner.nextCue, cues.count)
        let last = cues[..<next].last { $0.kind != .countdown }
        let upcoming = cues[next...]
        let nextBoundary = upcoming.first { $0.kind != .countdown }
        self.init(
            state: runner.state == .running ? .running : .paused,
            sinceBoundary: last.map { (now - $0.offset).seconds },
            untilBoundary: nextBoundary.map { ($0.offset - now).seconds },
            untilCue: upcoming.first.map { ($0.offset - now).seconds })
    }
}
