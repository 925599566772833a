/// `done`, `snooze` and `quiet`: what a person tells the scheduler.
extension Scheduler {
    /// Acknowledges reminder `name` (or, without a name, the one that sounded last);
    /// `amount` in millilitres overrides the reminder's `intake`. A reminder with a name
    /// may be acknowledged before it sounds (a glass drunk early still counts).
    public mutating func done(name: String?, amount: Int?, now: Double) throws(SchedulerError) -> ReminderOutcome {
        let reminder = try target(name, purpose: "acknowledge")
        if amount != nil, reminder.intake == nil {
            throw SchedulerError("\(reminder.name) records no intake; acknowledge it without an amount")
        }
        var state = states[reminder.name] ?? ReminderState()
        state.pending = nil
        state.held = nil
        states[reminder.name] = state
        return ReminderOutcome(name: reminder.name, result: .done, amount: amount ?? reminder.intake, at: now)
    }

    /// Snoozes reminder `name` (or the one that sounded last) for `duration` seconds
    /// (default 10 minutes); refused after 3 snoozes in a row.
    public mutating func snooze(name: String?, duration: Double?, now: Double) throws(SchedulerError) -> ReminderOutcome {
        let reminder = try target(name, purpose: "snooze")
        guard var state = states[reminder.name], var pending = state.pending ?? state.held.map({ held in
            Pending(
                name: reminder.name, text: reminder.text, firedAt: now, deadline: now, repeated: false, snoozes: 0,
                snoozed: false)
        })
        else {
            throw SchedulerError("\(reminder.name) is not waiting; nothing to snooze (it is next due \(nextText(reminder.name)))")
        }
        guard pending.snoozes < configuration.maximumSnoozes else {
            throw SchedulerError(
                "\(reminder.name) was snoozed \(configuration.maximumSnoozes) times in a row; acknowledge it with `guidectl done \(reminder.name)` or let it go")
        }
        let until = now + (duration ?? configuration.defaultSnooze)
        pending.snoozes += 1
        pending.snoozed = true
        pending.repeated = false
        pending.deadline = until
        state.pending = pending
        state.held = nil
        states[reminder.name] = state
        return ReminderOutcome(name: reminder.name, result: .snoozed, at: now, until: until)
    }

    /// What `quiet` takes.
    public enum QuietRequest: Sendable, Hashable {
        /// Quiet for this many seconds.
        case duration(Double)
        /// Quiet until the next time the wall clock reads this.
        case until(TimeOfDay)
        /// Quiet ends now, a file quiet window in effect included (until that window ends).
        case off

        /// Parses `45m`, `1h30m`, `until 22:00`, `off`; nil otherwise.
        public static func parse(_ text: String) -> QuietRequest? {
            let words = text.split(separator: " ")
            if words == ["off"] { return .off }
            if words.count == 2, words[0] == "until", let time = TimeOfDay.parse(words[1]) { return .until(time) }
            if words.count == 1, let duration = DurationText.parse(String(words[0])), duration > .zero,
                duration <= .seconds(24 * 3600)
            {
                return .duration(duration.seconds)
            }
            return nil
        }

        public static let hint = "use a duration (\"45m\", \"2h\"), \"until HH:MM\" or \"off\""
    }

    /// Starts or ends manual quiet hours; returns when quiet now ends (nil: not quiet).
    @discardableResult
    public mutating func quiet(_ request: QuietRequest, now: Double) -> Double? {
        switch request {
        case .duration(let seconds):
            manualQuietUntil = now + seconds
        case .until(let time):
            var day = CivilDay.of(now, offset)
            var end = offset.unixTime(local: Double(day) * 86_400 + Double(time.seconds))
            if end <= now {
                day += 1
                end = offset.unixTime(local: Double(day) * 86_400 + Double(time.seconds))
            }
            manualQuietUntil = end
        case .off:
            manualQuietUntil = nil
            liftedWindowEnd = schedule.quietWindow(at: now, offset: offset)?.end
        }
        return quietUntil(now)
    }

    /// The reminder a command names, or the one that sounded last.
    func target(_ name: String?, purpose: String) throws(SchedulerError) -> Reminder {
        if let name {
            guard let reminder = schedule.reminders.first(where: { $0.name == name }) else {
                let known = schedule.reminders.map(\.name).joined(separator: ", ")
                throw SchedulerError(
                    "no reminder named \(JSONValue.quoted(name)) in the schedule"
                        + (known.isEmpty ? " (it has none)" : " (it has: \(known))"))
            }
            return reminder
        }
        let waiting = schedule.reminders.compactMap { r in states[r.name]?.pending.map { (r, $0.firedAt) } }
        guard let latest = waiting.max(by: { $0.1 < $1.1 }) else {
            throw SchedulerError("no reminder is waiting; name the one to \(purpose), e.g. `guidectl \(purpose == "acknowledge" ? "done" : purpose) water`")
        }
        return latest.0
    }

    func nextText(_ name: String) -> String {
        guard let due = states[name]?.next?.due else { return "never" }
        let local = Int(offset.localSeconds(due).rounded(.down))
        let seconds = ((local % 86_400) + 86_400) % 86_400
        return "at " + TimeOfDay(seconds: seconds).description
    }
}
