#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore
import GuideCLI
import GuideProtocol

extension GuideCtl.History {
    /// Today's intake against each reminder's `dailyGoal` (from the daemon's schedule) and
    /// the week's outcomes; nil when there are no reminders to speak of.
    static func reminderStats(_ records: [ReminderRecord], client: DaemonClient) -> ReminderStats? {
        let listing = (try? client.exchange(Request(command: .schedule)))?.schedule
        var goals: [String: Int] = [:]
        for reminder in listing?.reminders ?? [] { goals[reminder.name] = reminder.dailyGoal }
        return ReminderStats.compute(records, goals: goals, now: Date().timeIntervalSince1970, offset: .local)
    }
}
