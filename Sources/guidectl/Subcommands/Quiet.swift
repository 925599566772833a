import ArgumentParser
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Quiet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quiet",
            abstract: "Silence reminders for a while: quiet 45m, quiet until 22:00, quiet off.",
            discussion: "Routines you start still sound. 'off' also lifts a quiet window of the schedule file until that window ends.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A duration (45m, 2h), 'until HH:MM', or 'off'.")
        var words: [String]

        func run() throws {
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            var request = Request(command: .quiet)
            request.quiet = words.joined(separator: " ")
            let response = try client.request(request)
            if let quiet = response.schedule?.quietUntil, let until = WireTime.unix(quiet) {
                Console.line("quiet until \(ScheduleFormatter.localTime(until, offset: .local))")
            } else {
                Console.line("reminders are on")
            }
        }
    }
}
