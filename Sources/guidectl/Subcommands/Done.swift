import ArgumentParser
import GuideCore
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "done",
            abstract: "Acknowledge a reminder (default: the one that sounded last).",
            discussion: "AMOUNT records what you drank for a reminder with an intake: 250ml, 0.3l. A reminder left unacknowledged says it once more after 5 minutes, then counts as missed.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The reminder, as named in the schedule; or an amount.")
        var name: String?

        @Argument(help: "What you drank: 250ml, 0.3l (default: the reminder's intake).")
        var amount: String?

        func run() throws {
            // `guidectl done 300ml` names no reminder: the amount is the first word.
            var name = self.name, amount = self.amount
            if amount == nil, let first = name, Amount.milliliters(first) != nil {
                amount = first
                name = nil
            }
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            var request = Request(command: .done)
            request.reminder = name
            request.amount = amount
            let response = try client.request(request)
            Console.line(ReminderLine.text(response.reminder))
        }
    }
}

/// One line for `done` and `snooze`.
enum ReminderLine {
    static func text(_ notice: ReminderNotice?) -> String {
        guard let notice else { return "ok" }
        switch notice.outcome {
        case "done":
            return "✓ \(notice.name)" + (notice.amount.map { " \(Amount.format($0))" } ?? "")
        case "snoozed":
            let until = notice.until.flatMap(WireTime.unix).map { ScheduleFormatter.localTime($0, offset: .local) } ?? "later"
            return "⏰ \(notice.name) again at \(until)"
        default:
            return "\(notice.name) \(notice.outcome ?? "")"
        }
    }
}
