/// The state machine that runs one session against a clock.
///
/// Deadline-based: the position in the session is always *computed* as
/// `now − start − paused + shift`, where `paused` is the sum of every pause and `shift`
/// the sum of every skip/back jump, all exact `Duration` arithmetic. Nothing is ever
/// "sleep N then do the next thing", so no error accumulates however long the session or
/// however many pauses it has.
///
/// The runner never sleeps: its owner asks ``nextDeadline`` when the next cue is due,
/// waits until then on the same clock, and calls ``tick()``. Tests drive it with a
/// manual clock; the daemon uses `SuspendingClock` (CLOCK_MONOTONIC on Linux, which stops
/// during system suspend, so a suspended laptop effectively pauses the session).
///
/// Late cues (the clock jumped past several due times at once, e.g. a stalled process)
/// are all reported, in order, exactly once. Those within ``lateTolerance`` still play.
/// Of the later ones, countdown ticks are silent (a tick for a moment already gone would
/// mislead) and only the newest step-boundary cue of the batch plays, so the person hears
/// once what to do *now* instead of a burst of stale sounds.
public struct Runner<C: Clock>: Sendable where C.Duration == Duration, C: Sendable {
    public enum State: Sendable, Equatable { case idle, running, paused, finished }

    public enum Failure: Error, Equatable, Sendable {
        /// The command needs a session and none is loaded.
        case noSession
        /// `resume` while running, `pause` while paused, and the like.
        case notAllowed(String)
    }

    /// A cue later than this is not sounded unless it is the newest boundary of its batch.
    public static var lateTolerance: Duration { .milliseconds(250) }
    /// `back` within this much of a step's start goes to the previous step.
    public static var backRestartThreshold: Duration { .seconds(3) }

    public let clock: C
    public private(set) var state: State = .idle
    public private(set) var session: Session?
    public private(set) var timeline: Timeline?
    public private(set) var startedAt: String?
    /// Whether this run was restored after an unexpected daemon exit.
    public private(set) var restored = false

    private var origin: C.Instant
    private var pausedTotal = Duration.zero
    private var pausedAt: C.Instant?
    private var shift = Duration.zero
    /// The index of the next cue not yet accounted for.
    public private(set) var nextCue = 0

    public init(clock: C) {
        self.clock = clock
        self.origin = clock.now
    }

    // MARK: - Commands

    /// Starts `session` from the beginning. The start cue is due at once: call `tick()`.
    public mutating func start(_ session: Session, startedAt: String? = nil) {
        self.session = session
        self.timeline = Timeline(session)
        self.startedAt = startedAt
        self.restored = false
        origin = clock.now
        pausedTotal = .zero
        pausedAt = nil
        shift = .zero
        nextCue = 0
        pauseReason = nil
        state = .running
    }

    /// Loads `session` paused at `elapsed`, as after a crash: `resume` continues from there.
    public mutating func restorePaused(_ session: Session, elapsed: Duration, startedAt: String?) {
        start(session, startedAt: startedAt)
        let total = timeline!.total
        let position = min(max(.zero, elapsed), total)
        pausedAt = origin
        shift = position
        nextCue = timeline!.firstCue(atOrAfter: position)
        state = .paused
        restored = true
    }

    public mutating func pause() throws(Failure) {
        guard state == .running else { throw .notAllowed(state == .paused ? "already paused" : "nothing is running") }
        pausedAt = clock.now
        state = .paused
    }

    public mutating func resume() throws(Failure) {
        guard state == .paused, let at = pausedAt else {
            throw .notAllowed(state == .running ? "already running" : "nothing is paused")
        }
        pausedTotal += at.duration(to: clock.now)
        pausedAt = nil
        pauseReason = nil
        state = .running
    }

    public mutating func toggle() throws(Failure) {
        if state == .paused { try resume() } else { try pause() }
    }

    /// Jumps to the start of the next segment (to the end on the last one). The cues
    /// jumped over are returned as skipped; the new segment's start cue is due at once.
    @discardableResult
    public mutating func skip() throws(Failure) -> [CueFiring] {
        guard state == .running || state == .paused, let timeline else { throw .notAllowed("nothing is running") }
        let index = timeline.segmentIndex(at: elapsed)
        let target = index + 1 < timeline.segments.count ? timeline.segments[index + 1].offset : timeline.total
        // From the unclamped position: if the clock already ran past the end, `elapsed`
        // is clamped and shifting by `target − elapsed` would leave that overshoot in.
        shift += target - position
        let first = timeline.firstCue(atOrAfter: target)
        let skipped = (nextCue..<max(nextCue, first)).map {
            CueFiring(cue: timeline.cues[$0], lateness: .zero, disposition: .skipped)
        }
        nextCue = max(nextCue, first)
        return skipped
    }

    /// Goes back to the start of the current segment, or to the previous one when within
    /// the first 3 s of this one (as media players do). Its start cue is due again at once.
    public mutating func back() throws(Failure) {
        guard state == .running || state == .paused, let timeline else { throw .notAllowed("nothing is running") }
        let current = elapsed
        var index = timeline.segmentIndex(at: current)
        if current - timeline.segments[index].offset < Runner.backRestartThreshold, index > 0 { index -= 1 }
        let target = timeline.segments[index].offset
        shift += target - position  // unclamped, as in `skip`
        nextCue = timeline.firstCue(atOrAfter: target)
    }

    /// Why the session is paused when the person did not pause it (`the system was suspended`).
    public private(set) var pauseReason: String?

    /// The system slept for `slept` (seen by ``SuspendDetector``) while this session ran on a
    /// clock that stops in suspend. A `pause` session is paused where it was, with a reason;
    /// a `continue` session moves on by the time slept, so that the cues that fell into the
    /// sleep come due at once and follow the late-cue policy of ``tick()`` (no burst).
    /// Returns whether it paused the session.
    @discardableResult
    public mutating func systemSlept(_ slept: Duration) -> Bool {
        guard state == .running, let session, slept > .zero else { return false }
        switch session.onSuspend {
        case .pause:
            pausedAt = clock.now
            state = .paused
            pauseReason = "the system was suspended"
            return true
        case .continue:
            shift += slept
            return false
        }
    }

    /// Ends the session; the runner returns to idle.
    public mutating func stop() throws(Failure) {
        guard state != .idle else { throw .notAllowed("nothing is running") }
        reset()
    }

    /// Forgets the session (after `finished`, or on `stop`).
    public mutating func reset() {
        state = .idle
        session = nil
        timeline = nil
        startedAt = nil
        restored = false
        pauseReason = nil
        pausedAt = nil
        nextCue = 0
    }

    // MARK: - Time

    /// Time into the session, paused time excluded, within 0 … total.
    public var elapsed: Duration {
        guard let timeline else { return .zero }
        if state == .finished { return timeline.total }
        return min(max(.zero, position), timeline.total)
    }

    /// `now − start − paused + shift`, not clamped to the session: past `total` when the
    /// clock has run beyond the end before `tick()` saw it (lateness is measured from this).
    private var position: Duration {
        origin.duration(to: pausedAt ?? clock.now) - pausedTotal + shift
    }

    /// The instant on `clock` at which the next cue is due; nil when nothing is due
    /// (idle, paused or finished), so that an idle daemon never wakes up.
    public var nextDeadline: C.Instant? {
        guard state == .running, let timeline, nextCue < timeline.cues.count else { return nil }
        return origin.advanced(by: pausedTotal - shift + timeline.cues[nextCue].offset)
    }

    /// The cues due at ``nextDeadline`` — several when they share an instant — so that a
    /// player can queue them ahead of their time; empty when nothing is due.
    public var upcomingCues: [Cue] {
        guard state == .running, let timeline, nextCue < timeline.cues.count else { return [] }
        let offset = timeline.cues[nextCue].offset
        return Array(timeline.cues[nextCue...].prefix { $0.offset == offset })
    }

    /// Accounts for every cue due by now, in order, and finishes the session after its `end` cue.
    public mutating func tick() -> [CueFiring] {
        guard state == .running, let timeline else { return [] }
        // Unclamped: a cue's lateness is how long ago it was due even when the clock has
        // overshot the end of the session (a clamped position would call a late `end` on time).
        let now = position
        var due: [CueFiring] = []
        while nextCue < timeline.cues.count, timeline.cues[nextCue].offset <= now {
            let cue = timeline.cues[nextCue]
            let lateness = now - cue.offset
            due.append(CueFiring(cue: cue, lateness: lateness, disposition: lateness <= Runner.lateTolerance ? .play : .lateSilent))
            nextCue += 1
        }
        // Of the late boundary cues, the newest still plays unless an on-time boundary follows it.
        if let newestBoundary = due.lastIndex(where: { $0.cue.kind != .countdown }),
            due[newestBoundary].disposition == .lateSilent
        {
            due[newestBoundary].disposition = .play
        }
        if nextCue >= timeline.cues.count { state = .finished }
        return due
    }

    // MARK: - Status

    public var status: Status {
        guard let session, let timeline else { return .idle }
        let now = elapsed
        let index = timeline.segmentIndex(at: now)
        let segment = timeline.segments[index]
        let stateName: Status.State =
            switch state {
            case .idle: .idle
            case .running: .running
            case .paused: .paused
            case .finished: .finished
            }
        let next: Status.NextStatus? =
            index + 1 < timeline.segments.count
            ? timeline.segments[index + 1].nextStatus : nil
        return Status(
            state: stateName, session: session.name, title: session.title,
            step: Status.StepStatus(
                index: segment.stepIndex + 1, count: session.steps.count, name: segment.name, side: segment.side,
                rest: segment.rest, duration: segment.duration.seconds,
                remaining: state == .finished ? 0 : (segment.end - now).seconds, instructions: segment.instructions),
            round: Status.RoundStatus(index: segment.round, count: session.rounds),
            elapsed: now.seconds, remaining: (timeline.total - now).seconds, total: timeline.total.seconds,
            next: state == .finished ? nil : next, audio: nil, startedAt: startedAt, restored: restored)
            .with(pauseReason: state == .paused ? pauseReason : nil)
    }
}

extension Status {
    func with(pauseReason: String?) -> Status {
        var status = self
        status.pauseReason = pauseReason
        return status
    }
}

extension Segment {
    var nextStatus: Status.NextStatus { .init(name: name, side: side, duration: duration.seconds) }
}
