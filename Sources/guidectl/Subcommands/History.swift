import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Show the sessions done lately, newest last, or how the habit is going. Never starts a daemon.",
            discussion: """
                The table shows the local start time, the session, how it ended (finished, \
                stopped, replaced, abandoned) and the minutes done, ordered by start time, \
                newest last. With --json, each entry is printed as one JSON object per line \
                (JSON Lines, as in history.jsonl), in the same order. Asks the daemon when one \
                is running, else reads $XDG_STATE_HOME/guide/history.jsonl directly.

                --stats reads the whole history: the current streak (consecutive days with a \
                finished session, ending today or yesterday), the minutes this week (from \
                Monday) and this month in local time, and per session how many runs finished \
                and how many did not. With --json, the same as one JSON object.
                """)

        @OptionGroup var global: GlobalOptions

        // Unconditional, so that `--limit -1` reaches validate() and gets its message,
        // not "Missing value".
        @Option(parsing: .unconditional, help: ArgumentHelp("How many entries to show (1–100000).", valueName: "n"))
        var limit = 10

        @Flag(help: "Show counts, minutes this week and month, and the current streak.")
        var stats = false

        @Flag(help: "Print the entries as JSON Lines (with --stats: one JSON object).")
        var json = false

        /// The most entries the daemon hands out at once: --stats reads them all.
        static let maximumLimit = 100_000

        func validate() throws {
            guard (1...Self.maximumLimit).contains(limit) else {
                throw ValidationError("--limit must be a whole number from 1 to \(Self.maximumLimit), not \(limit)")
            }
        }

        func run() throws {
            let wanted = stats ? Self.maximumLimit : limit
            let written: [HistoryEntry]
            var reminderRecords: [ReminderRecord] = []
            let client = DaemonClient.connectIfRunning(global)
            if let client {
                let reply = try client.request(Request(command: .history, limit: wanted))
                written = reply.history ?? []
                reminderRecords = reply.reminders ?? []
            } else {
                written = HistoryFile.latest(wanted)
            }
            let entries = HistoryFormatter.newestLast(written)
            if stats {
                var summary = HistoryStats.compute(entries, now: Date())
                // Reminders (History+Reminders.swift): today's intake and the week's outcomes.
                // Without a daemon there is no schedule to read goals from: sessions only.
                summary.reminders = client.flatMap { Self.reminderStats(reminderRecords, client: $0) }
                Console.write(
                    json
                        ? String(decoding: WireCoding.encodeLine(summary), as: UTF8.self)
                        : HistoryStatsFormatter.text(summary) + (summary.reminders.map { "\n\n" + $0.text } ?? "") + "\n")
            } else if json {
                Console.write(entries.map { String(decoding: WireCoding.encodeLine($0), as: UTF8.self) }.joined())
            } else if entries.isEmpty {
                Console.line("no sessions in the history yet")
            } else {
                Console.line(HistoryFormatter.table(entries))
            }
        }
    }
}
