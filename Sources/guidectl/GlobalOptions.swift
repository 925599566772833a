import ArgumentParser
import Foundation
import GuideProtocol

/// Options every subcommand takes (`guidectl --socket PATH start cooldown` and
/// `guidectl start cooldown --socket PATH` both work).
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket (env GUIDE_SOCKET; default $XDG_RUNTIME_DIR/guide/guided.sock).", valueName: "path"),
        completion: .file())
    var socket: String?

    /// `--socket`, else `GUIDE_SOCKET`, else the default of DESIGN.md §4.
    var socketPath: String {
        SocketPath.resolve(explicit: socket, environment: ProcessInfo.processInfo.environment)
    }
}
