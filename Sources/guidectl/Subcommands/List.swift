import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the sessions the daemon knows, with their steps and length.",
            discussion: "Session files that failed to load are reported on stderr, one line each.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Self.run(global.daemon)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket) throws {
            let client = try DaemonClient.connect(daemon, startIfNeeded: true)
            let response = try client.request(Request(command: .list))
            let sessions = response.sessions ?? []
            if sessions.isEmpty {
                Console.error("no sessions found; put NAME.json files in ~/.config/guide/sessions (see 'guidectl validate')")
            } else {
                Console.line(SessionFormatter.list(sessions))
            }
            for failure in response.errors ?? [] {
                Console.error(failure.message)
            }
        }
    }
}
