import ArgumentParser
import GuideProtocol

/// Options every subcommand takes (`guidectl --socket PATH start cooldown` and
/// `guidectl start cooldown --socket PATH` both work).
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket (env GUIDE_SOCKET; default $XDG_RUNTIME_DIR/guide/guided.sock).", valueName: "path"),
        completion: .file())
    var socket: String?

    /// `--socket`, else `GUIDE_SOCKET`, else the default of docs/protocol.md ("Connecting").
    var socketPath: String { daemon.path }

    /// The same as a plain value, which the commands run with.
    var daemon: DaemonSocket { DaemonSocket(explicit: socket) }
}

/// Where the daemon listens: `--socket` when given, else `GUIDE_SOCKET`, else the default
/// of docs/protocol.md ("Connecting"). A plain value (not an ArgumentParser type), so that ``QuickParse``
/// can run a command without building ArgumentParser's property wrappers.
struct DaemonSocket {
    var explicit: String?

    var path: String {
        SocketPath.resolve(explicit: explicit, variable: Environment.value)
    }
}
