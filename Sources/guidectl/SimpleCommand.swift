import ArgumentParser
import GuideCLI
import GuideProtocol

/// The commands that change the running session and answer with its status
/// (`pause`, `resume`, `toggle`, `skip`, `back`): one request, the status line out.
enum SimpleCommand {
    static func run(_ command: Command, _ daemon: DaemonSocket) throws(ExitCode) {
        let client = try DaemonClient.connect(daemon, startIfNeeded: true)
        let response = try client.request(Request(command: command))
        Console.line(StatusFormatter.human(try client.status(of: response), style: Console.style))
    }
}
