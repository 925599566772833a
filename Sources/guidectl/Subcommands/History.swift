import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the sessions done lately, newest last.",
            discussion: """
                The table shows the local start time, the session, how it ended (finished, \
                stopped, replaced, abandoned) and the minutes done. With --json, each entry is \
                printed as one JSON object per line (JSON Lines, as in history.jsonl).
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("How many entries to show.", valueName: "n"))
        var limit = 10

        @Flag(help: "Print the entries as JSON Lines.")
        var json = false

        func validate() throws {
            guard (1...100_000).contains(limit) else {
                throw ValidationError("--limit must be a whole number from 1 to 100000, not \(limit)")
            }
        }

        func run() throws {
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            let entries = try client.request(Request(command: .history, limit: limit)).history ?? []
            if json {
                Console.write(entries.map { String(decoding: WireCoding.encodeLine($0), as: UTF8.self) }.joined())
            } else if entries.isEmpty {
                Console.line("no sessions in the history yet")
            } else {
                Console.line(HistoryFormatter.table(entries))
            }
        }
    }
}
