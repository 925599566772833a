import ArgumentParser
import GuideCore
import GuideProtocol

extension GuideCtl {
    struct Snooze: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snooze",
            abstract: "Put a reminder off (default: the one that sounded last, for 10 minutes).",
            discussion: "At most 3 times in a row; then acknowledge it with 'guidectl done' or let it go.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The reminder, as named in the schedule; or a duration.")
        var name: String?

        @Argument(help: "For how long: 10m (default), 1h, 90s.")
        var duration: String?

        func run() throws {
            var name = self.name, duration = self.duration
            if duration == nil, let first = name, DurationText.parse(first) != nil {
                duration = first
                name = nil
            }
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            var request = Request(command: .snooze)
            request.reminder = name
            request.duration = duration
            let response = try client.request(request)
            Console.line(ReminderLine.text(response.reminder))
        }
    }
}
