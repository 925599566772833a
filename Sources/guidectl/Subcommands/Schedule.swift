import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: "List the reminders that come next, like 'systemctl list-timers'.",
            discussion: """
                NEXT is local time, LEFT the time until then. Reminders held back by quiet hours \
                say so; reminders waiting for 'done' or 'snooze' are listed below the table. The \
                schedule is read from --schedule, GUIDE_SCHEDULE or ~/.config/guide/schedule.json \
                by guided; 'guidectl reload' reads it again.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the daemon's answer as one JSON object.")
        var json = false

        func run() throws {
            // Read-only: never starts a daemon.
            let client = try DaemonClient.connect(global, startIfNeeded: false)
            let response = try client.request(Request(command: .schedule))
            guard let listing = response.schedule else { throw ExitCode.failure }
            if json {
                Console.write(String(decoding: WireCoding.encodeLine(listing), as: UTF8.self))
            } else {
                Console.line(ScheduleFormatter.text(listing, now: Date().timeIntervalSince1970))
            }
        }
    }
}
