import ArgumentParser
import GuideCore
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a session's plan: caution, steps with start times and lengths, total.",
            discussion: "Asks the daemon when one is running, else reads the session files directly. Never starts a daemon.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The session to show.", completion: .custom(LocalLibrary.completeNames))
        var name: String

        func validate() throws {
            if let problem = SessionName.problem(with: name) { throw ValidationError(problem) }
        }

        func run() throws {
            let detail: SessionDetail
            if let client = DaemonClient.connectIfRunning(global) {
                let response = try client.exchange(Request(command: .show, session: name))
                if let error = response.error {
                    throw Console.fail(suggesting(error, client: client), .refused)
                }
                guard let session = response.session else {
                    throw Console.fail("the daemon on \(client.path) answered without the session", .unavailable)
                }
                detail = session
            } else {
                detail = try offline()
            }
            Console.line(SessionFormatter.plan(detail))
        }

        /// The daemon's refusal, with a "did you mean" when the name is close to a known one.
        private func suggesting(_ error: ProtocolError, client: DaemonClient) -> String {
            guard error.code == .unknownSession,
                let names = (try? client.connection.send(Request(command: .list)))?.sessions?.map(\.name),
                let near = Spelling.nearest(to: name, in: names)
            else { return error.message }
            return "no session named \"\(name)\" (did you mean \"\(near)\"?); see 'guidectl list'"
        }

        /// The session read from the files, as the daemon would load it.
        private func offline() throws(ExitCode) -> SessionDetail {
            let library = LocalLibrary.load()
            if let loaded = library.session(named: name) { return SessionDetail(loaded.session) }
            if let broken = library.errors.first(where: { $0.name == name }) {
                throw Console.fail(broken.message, .invalidSession)
            }
            var message = "no session named \"\(name)\""
            if let near = Spelling.nearest(to: name, in: library.names) { message += " (did you mean \"\(near)\"?)" }
            throw Console.fail(message + " in \(LocalLibrary.directories().joined(separator: ":"))", .refused)
        }
    }
}
