import ArgumentParser
import GuideCLI
import GuideCore
import GuideProtocol

extension GuideCtl {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the sessions, with their steps and length. Never starts a daemon.",
            discussion: """
                Asks the daemon when one is running, else reads the session files directly. \
                Session files that failed to load are reported on stderr, one line each. With \
                --json, one JSON object: {"sessions": [{"name", "title", "steps", "total"}], \
                "errors": [{"file", "message"}]}, as the daemon's 'list' reply has them.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the sessions and the load errors as one JSON object.")
        var json = false

        func run() throws {
            try Self.run(global.daemon, json: json)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket, json: Bool) throws {
            let sessions: [SessionSummary]
            let errors: [FileError]
            if let client = DaemonClient.connectIfRunning(daemon) {
                let response = try client.request(Request(command: .list))
                sessions = response.sessions ?? []
                errors = response.errors ?? []
            } else {
                let library = LocalLibrary.load()
                sessions = library.names.compactMap { library.session(named: $0).map { SessionSummary($0.session) } }
                errors = library.errors.map { FileError(file: $0.path, message: $0.message) }
            }
            if json {
                Console.write(ListingJSON.line(sessions: sessions, errors: errors))
                return
            }
            if sessions.isEmpty {
                Console.error("no sessions found; put NAME.json files in ~/.config/guide/sessions (see 'guidectl validate')")
            } else {
                Console.line(SessionFormatter.list(sessions))
            }
            for failure in errors {
                Console.error(failure.message)
            }
        }
    }
}
