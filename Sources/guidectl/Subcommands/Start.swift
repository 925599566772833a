import ArgumentParser
import GuideCLI
import GuideCore
import GuideProtocol

extension GuideCtl {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start a session by name (see 'guidectl list').",
            discussion: """
                Prints the session's caution first: start slowly, and stop at once if it hurts. \
                With --watch, Ctrl-C stops the watching, not the session, and says so.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(
            help: "The session to run (a file NAME.json on the session path); without it, the routine a reminder announced last.",
            completion: .custom(LocalLibrary.completeNames))
        var name: String?

        @Flag(help: "Stop the running session and start this one.")
        var replace = false

        @Flag(help: "Follow the session until it ends (as 'guidectl watch').")
        var watch = false

        func validate() throws {
            if let name, let problem = SessionName.problem(with: name) { throw ValidationError(problem) }
        }

        func run() throws {
            let client: DaemonClient
            let response: Response
            if let name {
                client = try DaemonClient.connect(global, startIfNeeded: true)
                response = try client.request(Request(command: .start, session: name, replace: replace))
            } else {
                // Only a running daemon can have announced a routine: none is started for this,
                // and "none announced" is a usage error like a missing argument.
                let missing = "name a session to start (no reminder has announced one yet); see 'guidectl list'"
                guard let running = DaemonClient.connectIfRunning(global) else { throw ValidationError(missing) }
                client = running
                let reply = try client.exchange(Request(command: .start, replace: replace))
                if let error = reply.error {
                    if error.code == .invalidRequest { throw ValidationError(error.message) }
                    throw Console.fail(error.message, .refused)
                }
                response = reply
            }
            let status = try client.status(of: response)
            // The caution comes with the plan; a failure here must not hide that the session started.
            if let name = status.session, let detail = try? client.connection.send(Request(command: .show, session: name)).session,
                let caution = detail.caution, !caution.isEmpty
            {
                Console.line("Caution: " + caution)
            }
            if watch {
                try Watcher(client: client, json: false, waitForSession: false).run()
            } else {
                Console.line(StatusFormatter.human(status, style: Console.style))
            }
        }
    }
}
