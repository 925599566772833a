/// The reminders of a ``Schedule`` as a state machine over wall-clock time, pure and
/// clock-free: its owner passes the current Unix time (and the running routine's
/// ``RoutineGate``) to ``advance(now:routine:)``, does what the returned events say, and
/// sleeps until ``nextWake(now:routine:)`` on one timer.
///
/// Everything is computed from the wall clock, so that suspend and wall-clock jumps need
/// no special path: an occurrence whose time passed while the machine slept (or the clock
/// jumped forward) fires once if its window is still open, one per reminder however many
/// slots it slept through; a clock set back recomputes every next time from the new reading.
public struct Scheduler: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// An unacknowledged reminder sounds once more after this; after another, it is missed.
        public var repeatAfter: Double = 300
        /// `snooze` without a duration.
        public var defaultSnooze: Double = 600
        /// Snoozes in a row before `snooze` is refused.
        public var maximumSnoozes = 3
        /// A reminder never sounds within this of a routine's cue.
        public var clearance: Double = 1
        /// A firing this late still counts as on time (a busy machine, a slow timer).
        public var lateTolerance: Double = 2
        public init() {}
    }

    /// A fired reminder that waits for `done` or `snooze`.
    public struct Pending: Sendable, Hashable {
        public var name: String
        public var text: String
        public var firedAt: Double
        /// When it sounds again (repeat or snooze end), or is missed (after its repeat).
        public var deadline: Double
        public var repeated: Bool
        public var snoozes: Int
        public var snoozed: Bool

        public init(name: String, text: String, firedAt: Double, deadline: Double, repeated: Bool, snoozes: Int, snoozed: Bool) {
            self.name = name
            self.text = text
            self.firedAt = firedAt
            self.deadline = deadline
            self.repeated = repeated
            self.snoozes = snoozes
            self.snoozed = snoozed
        }
    }

    /// A reminder that is due but held back (quiet hours, or a routine's step).
    struct Held: Sendable, Hashable {
        var occurrence: Occurrence
        /// When it became ready to sound: its due time, or when quiet hours ended.
        var readyAt: Double
        /// First seen well after its time (suspend, a wall-clock jump): it fires as `late`.
        var late: Bool
    }

    struct ReminderState: Sendable, Hashable {
        var next: Occurrence?
        var held: Held?
        var pending: Pending?
    }

    public let configuration: Configuration
    public let offset: UTCOffset
    public private(set) var schedule: Schedule
    var states: [String: ReminderState] = [:]
    /// `quiet DURATION` / `quiet until HH:MM`: reminders silent until then.
    public internal(set) var manualQuietUntil: Double?
    /// `quiet off` inside a file quiet window: that window is lifted until it ends.
    var liftedWindowEnd: Double?
    /// The routine last announced by a reminder with `session`: what a bare `start` starts.
    public private(set) var lastAnnounced: String?
    /// The wall time of the previous ``advance(now:routine:)``, to see the clock set back.
    var lastNow: Double

    public init(schedule: Schedule, offset: UTCOffset, now: Double, configuration: Configuration = Configuration()) {
        self.schedule = schedule
        self.offset = offset
        self.configuration = configuration
        self.lastNow = now
        for reminder in schedule.reminders {
            states[reminder.name] = ReminderState(next: reminder.occurrence(after: now, offset: offset))
        }
    }

    /// Takes a reloaded schedule: reminders that keep their name keep what waits for
    /// acknowledgement; every next time is computed afresh.
    public mutating func replace(_ schedule: Schedule, now: Double) {
        var states: [String: ReminderState] = [:]
        for reminder in schedule.reminders {
            var state = ReminderState(next: reminder.occurrence(after: now, offset: offset))
            state.pending = self.states[reminder.name]?.pending
            states[reminder.name] = state
        }
        self.schedule = schedule
        self.states = states
    }

    // MARK: - Time

    /// Accounts for everything due by `now` and returns what to sound and record, in order.
    public mutating func advance(now: Double, routine: RoutineGate = .none) -> [SchedulerEvent] {
        if now < lastNow - configuration.lateTolerance { clockWentBack(by: lastNow - now, now: now) }
        lastNow = now
        var events: [SchedulerEvent] = []
        let quietEnd = quietUntil(now)
        for reminder in schedule.reminders {
            guard var state = states[reminder.name] else { continue }
            // The newest occurrence that has come: one per reminder, however many passed.
            while let occurrence = state.next, occurrence.due <= now {
                state.held = Held(
                    occurrence: occurrence, readyAt: occurrence.due, late: now - occurrence.due > configuration.lateTolerance)
                state.next = reminder.occurrence(after: occurrence.due, offset: offset)
            }
            if let held = state.held, isExpired(held.occurrence, now: now) { state.held = nil }
            // A pending reminder whose deadline passed: missed, or due to sound again.
            var refire: ReminderFiring.Kind?
            if let pending = state.pending, pending.deadline <= now {
                if pending.snoozed {
                    refire = .snoozed
                } else if !pending.repeated, now - pending.deadline <= configuration.repeatAfter {
                    refire = .repeat
                } else {
                    events.append(.outcome(ReminderOutcome(name: reminder.name, result: .missed, at: now)))
                    state.pending = nil
                }
            }
            if let quietEnd {
                if var held = state.held {
                    held.readyAt = max(held.readyAt, quietEnd)
                    state.held = held
                }
                states[reminder.name] = state
                continue
            }
            if let held = state.held {
                if routine.openingTime(readyAt: held.readyAt, now: now, clearance: configuration.clearance) == now {
                    if state.pending != nil {
                        events.append(.outcome(ReminderOutcome(name: reminder.name, result: .missed, at: now)))
                    }
                    events.append(.fire(firing(reminder, kind: held.late ? .late : .due, dueAt: held.occurrence.due, now: now)))
                    state.pending = Pending(
                        name: reminder.name, text: reminder.text, firedAt: now, deadline: now + configuration.repeatAfter,
                        repeated: false, snoozes: 0, snoozed: false)
                    state.held = nil
                    refire = nil
                }
            }
            if let kind = refire, var pending = state.pending,
                routine.openingTime(readyAt: pending.deadline, now: now, clearance: configuration.clearance) == now
            {
                events.append(.fire(firing(reminder, kind: kind, dueAt: pending.deadline, now: now)))
                pending.repeated = kind == .repeat
                pending.snoozed = false
                pending.deadline = now + configuration.repeatAfter
                state.pending = pending
            }
            states[reminder.name] = state
        }
        return events
    }

    /// The Unix time at which ``advance(now:routine:)`` has something to do; nil when
    /// nothing is scheduled (an empty schedule), so that an idle daemon never wakes up.
    public func nextWake(now: Double, routine: RoutineGate = .none) -> Double? {
        var wake: Double?
        func consider(_ t: Double?) {
            guard let t else { return }
            wake = min(wake ?? t, max(t, now))
        }
        let quietEnd = quietUntil(now)
        for reminder in schedule.reminders {
            guard let state = states[reminder.name] else { continue }
            consider(state.next?.due)
            if let held = state.held {
                consider(quietEnd ?? routine.openingTime(readyAt: held.readyAt, now: now, clearance: configuration.clearance))
            }
            if let pending = state.pending {
                if pending.deadline > now {
                    consider(pending.deadline)
                } else {
                    consider(quietEnd ?? routine.openingTime(readyAt: pending.deadline, now: now, clearance: configuration.clearance))
                }
            }
        }
        return wake
    }

    /// Whether a held occurrence can no longer fire: late and its window closed.
    func isExpired(_ occurrence: Occurrence, now: Double) -> Bool {
        now - occurrence.due > configuration.lateTolerance && occurrence.windowEnd <= now
    }

    func firing(_ reminder: Reminder, kind: ReminderFiring.Kind, dueAt: Double, now: Double) -> ReminderFiring {
        ReminderFiring(name: reminder.name, text: reminder.text, kind: kind, dueAt: dueAt, firedAt: now, session: reminder.session)
    }

    /// The wall clock was set back: next times are recomputed from the new reading, and
    /// what waits for acknowledgement keeps its remaining time.
    mutating func clockWentBack(by jump: Double, now: Double) {
        for reminder in schedule.reminders {
            guard var state = states[reminder.name] else { continue }
            state.next = reminder.occurrence(after: now, offset: offset)
            state.held = nil
            if var pending = state.pending {
                pending.deadline -= jump
                pending.firedAt -= jump
                state.pending = pending
            }
            states[reminder.name] = state
        }
    }

    /// The local time zone changed (the offset now answers for the new zone): every next
    /// time is recomputed in it from `now`. Local times that the change skipped over are not
    /// made up — unlike a clock set forward, the time itself did not pass — and what waits
    /// for acknowledgement or is held back keeps its place.
    public mutating func replan(now: Double) {
        for reminder in schedule.reminders {
            guard var state = states[reminder.name] else { continue }
            state.next = reminder.occurrence(after: now, offset: offset)
            states[reminder.name] = state
        }
    }

    /// Records the routine a reminder announced (the owner calls this when it plays one).
    public mutating func announced(_ firing: ReminderFiring) {
        if let session = firing.session { lastAnnounced = session }
    }

    // MARK: - Quiet

    /// When quiet hours (the file's windows and `quiet`) that hold at `now` end; nil when none holds.
    public func quietUntil(_ now: Double) -> Double? {
        var t = now
        for _ in 0..<8 {
            if let manual = manualQuietUntil, manual > t {
                t = manual
                continue
            }
            if let (_, end) = schedule.quietWindow(at: t, offset: offset), end != liftedWindowEnd {
                t = end
                continue
            }
            break
        }
        return t > now ? t : nil
    }
}
