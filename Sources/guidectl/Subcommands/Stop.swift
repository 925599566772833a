import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop the running session (it is recorded in the history as stopped).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Self.run(global.daemon)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket) throws {
            let client = try DaemonClient.connect(daemon, startIfNeeded: true)
            // Ask first so the answer can say what was stopped.
            let before = try client.request(Request(command: .status)).status
            _ = try client.request(Request(command: .stop))
            switch before?.state {
            case .running?, .paused?:
                var line = "■ stopped \(before?.session ?? "the session")"
                if let step = before?.step { line += " at \(StatusFormatter.stepLabel(step))" }
                Console.line(line)
            default:
                Console.line("idle")
            }
        }
    }
}
