import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the running session (it is recorded in the history as stopped).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let client = try DaemonClient.connect(global, startIfNeeded: true)
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
