import FoundationEssentials
import GuideAudio
import GuideCore
import GuideProtocol
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The engine's narrow hook for reminders (DESIGN.md §7): one timer on the engine's clock,
/// re-armed whenever the routine or the schedule changes, that wakes only when the
/// ``ReminderService`` has something due. All reminder logic is in GuideCore's Scheduler.
extension Engine {
    /// The longest the reminder timer sleeps while no ``WallClockWatcher`` runs: the loop's
    /// timers run on CLOCK_MONOTONIC, which stops in suspend and does not move when the
    /// wall clock is set, so without the watcher the engine looks again at least this often.
    /// With it, nothing else can move a reminder's time (DST is in the plan; NTP slewing
    /// moves CLOCK_MONOTONIC with the wall clock), and the timer sleeps until the next wake.
    static var reminderRecheck: Duration { .seconds(600) }

    /// The wall clock was set, the system resumed, or the time zone changed
    /// (``WallClockWatcher``, on the loop): the reminders are re-planned now, on the path a
    /// timer or a command takes — a reminder the jump passed fires once if its window is
    /// still open, a clock set back recomputes next times, a new zone moves them to its
    /// local times — and a suspend is noticed at once.
    public func wallClockChanged(_ change: WallClockChange, stillWatching: Bool) {
        wallClockWatched = stillWatching
        logger.info("wall clock changed; re-planning reminders", metadata: ["change": "\(change.rawValue)", "now": "\(WireTime.iso(wallNow))"])
        if change == .timeZone { reminders?.replan(now: wallNow) }
        remindersDue()
    }

    /// A ``WallClockWatcher`` runs (or stopped): the reminder timer need not look again
    /// every ``reminderRecheck``.
    public func watchWallClock(_ watched: Bool) {
        wallClockWatched = watched
        rearmReminders()
    }

    /// Loads the schedule at `path` (nil: none) and arms its timer.
    public func loadSchedule(path: String?, offset: UTCOffset = .local) {
        reminders = ReminderService(path: path, offset: offset, now: wallNow, history: history, logger: logger)
        rearmReminders()
    }

    var wallNow: Double { wallClock().timeIntervalSince1970 }

    /// `reload` / SIGHUP: a broken schedule keeps the one in use, and says why.
    func reloadSchedule() {
        guard let reminders else { return }
        if let error = reminders.reload(now: wallNow) {
            publish(Event(.reloaded, status: status, message: "schedule not reloaded: \(error)"))
        }
        rearmReminders()
    }

    func handleReminderCommand(_ request: Request) -> Response {
        guard let reminders else {
            return failure(.invalidRequest, "no schedule is loaded; write one at ~/.config/guide/schedule.json (see README) and run 'guidectl reload'")
        }
        let now = wallNow
        defer { rearmReminders() }
        switch request.command {
        case .done, .snooze:
            let result =
                request.command == .done
                ? reminders.done(name: request.reminder, amount: request.amount, now: now)
                : reminders.snooze(name: request.reminder, duration: request.duration, now: now)
            switch result {
            case .success(let outcome):
                publish(Event(.reminder, status: status, reminder: ReminderNotice(outcome)))
                var response = Response(status: status)
                response.reminder = ReminderNotice(outcome)
                return response
            case .failure(let error):
                return failure(.invalidState, error.message)
            }
        case .quiet:
            if case .failure(let error) = reminders.quiet(request.quiet ?? "", now: now) {
                return failure(.invalidRequest, error.message)
            }
            fallthrough
        default:
            var response = Response()
            response.schedule = reminders.listing(now: now)
            return response
        }
    }

    /// Cancels the reminder timer and sleeps until the scheduler's next wake (at most
    /// ``reminderRecheck`` without a wall-clock watcher); no timer at all when nothing is
    /// scheduled.
    func rearmReminders() {
        reminderTimer?.cancel()
        reminderTimer = nil
        guard let reminders else { return }
        let now = wallNow
        reminderStatus = reminders.statusPart(now: now)
        guard let wake = reminders.nextWake(now: now, gate: RoutineGate(runner: runner)) else { return }
        var wait = Duration.milliseconds(Int64(max(0, wake - now) * 1000))
        if !wallClockWatched { wait = min(wait, Self.reminderRecheck) }
        // A timer of the loop, like the runner's (Engine.rearm): it fires on the actor's executor.
        reminderTimer = loop.scheduleTask(in: EventLoopClock.timeAmount(max(wait, .zero))) { [weak self] in
            self?.onLoop { $0.remindersDue() }
        }
    }

    /// The reminder timer fired: sound what is due, publish it, and sleep again.
    func remindersDue() {
        noticeSuspend()
        guard let reminders else { return }
        for event in reminders.advance(now: wallNow, gate: RoutineGate(runner: runner)) {
            switch event {
            case .fire(let firing):
                let reminder = reminders.reminder(named: firing.name)
                player?.playReminder(
                    tones: reminder?.cue ?? Reminder.standardCue, say: firing.text,
                    speak: reminder?.voice ?? player?.speaksByDefault ?? false, due: SuspendingClock.now)
                publish(Event(.reminder, status: status, message: firing.text, reminder: ReminderNotice(firing)))
            case .outcome(let outcome):
                publish(Event(.reminder, status: status, reminder: ReminderNotice(outcome)))
            }
        }
        rearmReminders()
    }

    /// Looks for a system suspend since the last look (CLOCK_BOOTTIME − CLOCK_MONOTONIC
    /// grew): a running session follows its `onSuspend`, and says so when it pauses.
    func noticeSuspend() {
        guard let slept = suspendDetector.check(boottime: SuspendDetector.read(CLOCK_BOOTTIME), monotonic: SuspendDetector.read(CLOCK_MONOTONIC))
        else { return }
        logger.notice("system was suspended", metadata: ["slept": "\(DurationText.format(slept))"])
        if runner.systemSlept(slept) {
            publish(Event(.paused, status: status, message: runner.pauseReason))
            snapshots?.save(runner: runner)
        }
        rearm()  // a `continue` session's cues that fell into the sleep are due now
    }
}

extension SuspendDetector {
    /// A detector started from the system's clocks now.
    static func current() -> SuspendDetector {
        SuspendDetector(boottime: read(CLOCK_BOOTTIME), monotonic: read(CLOCK_MONOTONIC))
    }

    /// `clock_gettime(clock)` as a Duration since the clock's zero.
    static func read(_ clock: clockid_t) -> Duration {
        MonotonicTime.duration(clock)
    }
}
