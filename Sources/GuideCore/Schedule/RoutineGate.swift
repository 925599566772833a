/// What the scheduler needs to know of the routine that is running, so that a reminder
/// never talks over it: it waits for the routine's next step boundary (and plays at least
/// ``Scheduler/Configuration/clearance`` after that cue) or its end, and never sounds within
/// that clearance of any of the routine's cues. While the routine is paused it plays at once.
///
/// Times are relative to "now", so the gate does not care which clock the runner uses.
public struct RoutineGate: Sendable, Hashable {
    public enum State: Sendable, Hashable { case none, running, paused }

    public var state: State
    /// Seconds since the last boundary cue sounded (session start, step, side switch, end); nil if none.
    public var sinceBoundary: Double?
    /// Seconds until the next boundary cue (the end cue on the last step); nil when none is scheduled.
    public var untilBoundary: Double?
    /// Seconds until the next cue of any kind (countdown ticks included); nil when none.
    public var untilCue: Double?

    public init(state: State, sinceBoundary: Double? = nil, untilBoundary: Double? = nil, untilCue: Double? = nil) {
        self.state = state
        self.sinceBoundary = sinceBoundary
        self.untilBoundary = untilBoundary
        self.untilCue = untilCue
    }

    /// No routine.
    public static let none = RoutineGate(state: .none)

    /// When something that became ready at `readyAt` may sound: `now` if it may sound now,
    /// a later time to look again, or nil to wait for news from the routine (its end).
    func openingTime(readyAt: Double, now: Double, clearance: Double) -> Double? {
        // Never within `clearance` after a cue of the routine, whatever its state.
        if let since = sinceBoundary, since < clearance { return now + (clearance - since) }
        switch state {
        case .none, .paused:
            return now
        case .running:
            let boundaryPassed = sinceBoundary.map { now - $0 >= readyAt } ?? false
            let quietAhead = untilCue.map { $0 > clearance } ?? true
            if boundaryPassed, quietAhead { return now }
            guard let untilBoundary else { return nil }
            return now + untilBoundary + clearance
        }
    }
}
