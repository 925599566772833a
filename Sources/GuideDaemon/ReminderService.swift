import FoundationEssentials
import GuideCore
import GuideProtocol
import Logging

/// The daemon's side of the schedule: reads `schedule.json` (keeping the previous version
/// when a reload finds it broken), runs the pure ``Scheduler`` on the wall clock, records
/// every outcome in history, and turns commands into answers.
///
/// Not thread-safe by design: it lives inside the engine and is used only where the
/// engine runs (its actor today, its event loop after the rewrite), like the runner.
public final class ReminderService {
    public let path: String?
    public private(set) var scheduler: Scheduler
    /// Why the file did not load last time; nil when it did (or there is none).
    public private(set) var loadError: String?
    private let history: HistoryStore?
    private let logger: Logger

    public init(path: String?, offset: UTCOffset = .local, now: Double, history: HistoryStore?, logger: Logger) {
        self.path = path
        self.history = history
        self.logger = logger
        self.scheduler = Scheduler(schedule: .empty, offset: offset, now: now)
        _ = reload(now: now)
    }

    /// Reads the file again (`reload`, SIGHUP). A broken file keeps the schedule in use and
    /// returns its one-line error.
    @discardableResult
    public func reload(now: Double) -> String? {
        guard let path else { return nil }
        do {
            let schedule = try ScheduleFile.read(path: path) ?? .empty
            scheduler.replace(schedule, now: now)
            loadError = nil
            logger.info("schedule loaded", metadata: ["file": "\(path)", "reminders": "\(schedule.reminders.count)"])
            return nil
        } catch {
            loadError = error.description
            logger.warning("schedule not loaded; keeping the previous one", metadata: ["file": "\(path)", "reason": "\(error.description)"])
            return error.description
        }
    }

    /// Accounts for what is due by `now`: outcomes go to history; the firings are returned
    /// for the engine to sound and publish.
    public func advance(now: Double, gate: RoutineGate) -> [SchedulerEvent] {
        let events = scheduler.advance(now: now, routine: gate)
        for event in events {
            switch event {
            case .fire(let firing):
                scheduler.announced(firing)
                logger.info("reminder", metadata: ["reminder": "\(firing.name)", "kind": "\(firing.kind.rawValue)"])
            case .outcome(let outcome):
                record(outcome)
            }
        }
        return events
    }

    /// The local time zone changed: next times move to the new zone's local times.
    public func replan(now: Double) {
        scheduler.replan(now: now)
        logger.info("reminders re-planned for a new time zone", metadata: ["reminders": "\(scheduler.schedule.reminders.count)"])
    }

    public func nextWake(now: Double, gate: RoutineGate) -> Double? {
        scheduler.nextWake(now: now, routine: gate)
    }

    /// `done [NAME] [AMOUNT]`.
    public func done(name: String?, amount: String?, now: Double) -> Result<ReminderOutcome, SchedulerError> {
        var milliliters: Int?
        if let amount {
            guard let ml = Amount.milliliters(amount), Amount.range.contains(ml) else {
                return .failure(SchedulerError("\(JSONValue.quoted(amount)) is not an amount from 1ml to 10l (\(Amount.hint))"))
            }
            milliliters = ml
        }
        do {
            let outcome = try scheduler.done(name: name, amount: milliliters, now: now)
            record(outcome)
            return .success(outcome)
        } catch {
            return .failure(error)
        }
    }

    /// `snooze [NAME] [DURATION]`.
    public func snooze(name: String?, duration: String?, now: Double) -> Result<ReminderOutcome, SchedulerError> {
        var seconds: Double?
        if let duration {
            guard let parsed = DurationText.parse(duration), parsed >= .seconds(10), parsed <= .seconds(12 * 3600) else {
                return .failure(SchedulerError("\(JSONValue.quoted(duration)) is not a snooze time from 10s to 12h (e.g. \"10m\")"))
            }
            seconds = parsed.seconds
        }
        do {
            let outcome = try scheduler.snooze(name: name, duration: seconds, now: now)
            record(outcome)
            return .success(outcome)
        } catch {
            return .failure(error)
        }
    }

    /// `quiet DURATION|until HH:MM|off`.
    public func quiet(_ text: String, now: Double) -> Result<Double?, SchedulerError> {
        guard let request = Scheduler.QuietRequest.parse(text) else {
            return .failure(SchedulerError("\(JSONValue.quoted(text)) is not a quiet time (\(Scheduler.QuietRequest.hint))"))
        }
        let until = scheduler.quiet(request, now: now)
        logger.info("quiet hours", metadata: ["until": "\(until.map(WireTime.iso) ?? "off")"])
        return .success(until)
    }

    /// `schedule`'s answer.
    public func listing(now: Double) -> ScheduleListing {
        ScheduleListing(
            file: path, error: loadError, quietUntil: scheduler.quietUntil(now).map(WireTime.iso),
            reminders: scheduler.upcoming(now: now).map { UpcomingReminder($0, now: now, dailyGoal: reminder(named: $0.name)?.dailyGoal) },
            waiting: scheduler.waiting.map(WaitingReminder.init))
    }

    /// What status shows: the next reminder and the names waiting; nil without reminders.
    public func statusPart(now: Double) -> Status.ReminderStatus? {
        guard !scheduler.schedule.reminders.isEmpty else { return nil }
        let next = scheduler.upcoming(now: now).first.map { Status.ReminderStatus.Next(name: $0.name, text: $0.text, at: WireTime.iso($0.at)) }
        return Status.ReminderStatus(next: next, waiting: scheduler.waiting.map(\.name))
    }

    /// The routine the last reminder announced: what `start` without a name starts.
    public var lastAnnounced: String? { scheduler.lastAnnounced }

    /// The reminder definition by name (its cue and voice, for the engine's playback).
    public func reminder(named name: String) -> Reminder? {
        scheduler.schedule.reminders.first { $0.name == name }
    }

    private func record(_ outcome: ReminderOutcome) {
        logger.info("reminder outcome", metadata: ["reminder": "\(outcome.name)", "outcome": "\(outcome.result.rawValue)"])
        history?.append(line: WireCoding.encodeLine(ReminderRecord(outcome)))
    }
}
