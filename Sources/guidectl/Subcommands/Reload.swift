import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reload",
            abstract: "Make the daemon read the session files again (as SIGHUP does).",
            discussion: """
                A file that no longer loads keeps its previous version; each such error is \
                printed on stderr and the exit status is 65. The running session is never changed.
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Self.run(global.daemon)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket) throws {
            let client = try DaemonClient.connect(daemon, startIfNeeded: true)
            let response = try client.request(Request(command: .reload))
            let count = response.sessions?.count ?? 0
            let errors = response.errors ?? []
            Console.line("reloaded \(count) session\(count == 1 ? "" : "s")")
            for failure in errors { Console.error(failure.message) }
            if !errors.isEmpty { throw ExitCode.invalidSession }
        }
    }
}
