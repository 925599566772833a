/// What `guidectl schedule` and status show: the next time of each reminder, quiet hours
/// taken into account, and what waits for acknowledgement.
extension Scheduler {
    public struct Upcoming: Sendable, Hashable {
        public var name: String
        public var text: String
        public var session: String?
        /// Unix time at which it sounds next (if no routine holds it back).
        public var at: Double
        /// Set when quiet hours hold it back: they end at `at`, or its next time follows them.
        public var heldByQuiet: Bool
        /// Set when it is due and waits for a routine's step boundary.
        public var waitingForRoutine: Bool

        public init(name: String, text: String, session: String?, at: Double, heldByQuiet: Bool, waitingForRoutine: Bool) {
            self.name = name
            self.text = text
            self.session = session
            self.at = at
            self.heldByQuiet = heldByQuiet
            self.waitingForRoutine = waitingForRoutine
        }
    }

    /// Every reminder's next time, soonest first.
    public func upcoming(now: Double) -> [Upcoming] {
        var list: [Upcoming] = []
        for reminder in schedule.reminders {
            guard let state = states[reminder.name] else { continue }
            var item = Upcoming(
                name: reminder.name, text: reminder.text, session: reminder.session, at: 0, heldByQuiet: false,
                waitingForRoutine: false)
            if let held = state.held, !isExpired(held.occurrence, now: now) {
                if let quietEnd = quietUntil(now), held.occurrence.windowEnd > quietEnd {
                    item.at = quietEnd
                    item.heldByQuiet = true
                    list.append(item)
                    continue
                } else if quietUntil(now) == nil {
                    item.at = now
                    item.waitingForRoutine = true
                    list.append(item)
                    continue
                }
            }
            guard var occurrence = state.next else { continue }
            var found = false
            for _ in 0..<16 {
                guard let quietEnd = quietUntil(occurrence.due) else {
                    item.at = occurrence.due
                    found = true
                    break
                }
                item.heldByQuiet = true
                if occurrence.windowEnd > quietEnd {
                    item.at = quietEnd
                    found = true
                    break
                }
                guard let later = reminder.occurrence(after: quietEnd - 0.001, offset: offset) else { break }
                occurrence = later
            }
            if found { list.append(item) }
        }
        return list.sorted { ($0.at, $0.name) < ($1.at, $1.name) }
    }

    /// Reminders that sounded and wait for `done` or `snooze`, oldest first.
    public var waiting: [Pending] {
        schedule.reminders.compactMap { states[$0.name]?.pending }.sorted { $0.firedAt < $1.firedAt }
    }
}
