import ArgumentParser
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop the running session (it is recorded in the history as stopped).",
            discussion: "As pause, skip and back: exits 1 with 'nothing is running' when no session runs or is paused.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Self.run(global.daemon)
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket) throws {
            let client = try DaemonClient.connect(daemon, startIfNeeded: true)
            // Ask first so the answer can say what was stopped, and so that one rule holds
            // for stop, pause, skip and back: nothing running (idle or finished) is a refusal.
            let before = try client.status(of: try client.request(Request(command: .status)))
            guard before.state == .running || before.state == .paused else {
                let finished = before.state == .finished ? " (\(before.session ?? "the session") finished)" : ""
                throw Console.fail("nothing is running\(finished); start a session with 'guidectl start NAME'", .refused)
            }
            _ = try client.request(Request(command: .stop))
            var line = "\(Console.style.stoppedGlyph) stopped \(before.session ?? "the session")"
            if let step = before.step { line += " at \(StatusFormatter.stepLabel(step))" }
            Console.line(line)
        }
    }
}
