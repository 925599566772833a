import ArgumentParser
import GuideCore
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// guidectl's side of the socket: connects (starting `guided` when asked to), sends
/// requests through ``GuideConnection`` and turns failures into one stderr line and an
/// exit status.
struct DaemonClient {
    let connection: GuideConnection
    var path: String { connection.path }

    /// Why no connection could be had: one line and the exit status it calls for.
    struct Unreachable: Error {
        var message: String
        var code: ExitCode
    }

    /// Connects to the daemon on `global`'s socket, or prints why not and exits 69. With
    /// `startIfNeeded`, a daemon that is not running (no socket, or a stale one) is started
    /// first, as tmux does.
    static func connect(_ global: GlobalOptions, startIfNeeded: Bool) throws(ExitCode) -> DaemonClient {
        try connect(global.daemon, startIfNeeded: startIfNeeded)
    }

    static func connect(_ daemon: DaemonSocket, startIfNeeded: Bool) throws(ExitCode) -> DaemonClient {
        do {
            return try open(daemon, startIfNeeded: startIfNeeded)
        } catch {
            throw Console.fail(error.message, error.code)
        }
    }

    /// ``connect(_:startIfNeeded:)`` without printing anything.
    static func open(_ global: GlobalOptions, startIfNeeded: Bool) throws(Unreachable) -> DaemonClient {
        try open(global.daemon, startIfNeeded: startIfNeeded)
    }

    static func open(_ daemon: DaemonSocket, startIfNeeded: Bool) throws(Unreachable) -> DaemonClient {
        let path = daemon.path
        do {
            return DaemonClient(connection: try GuideConnection(path: path))
        } catch {
            guard startIfNeeded, case .unreachable(_, _, let code) = error, isNotRunning(code) else {
                throw Unreachable(message: describe(error, hint: startIfNeeded ? nil : notRunningHint), code: .unavailable)
            }
        }
        do {
            return DaemonClient(connection: try DaemonLauncher.start(socket: path))
        } catch {
            throw Unreachable(message: "no daemon running on \(path), and starting guided failed: \(error)", code: .unavailable)
        }
    }

    /// Connects without starting anything; nil when no daemon answers.
    static func connectIfRunning(_ global: GlobalOptions) -> DaemonClient? {
        connectIfRunning(global.daemon)
    }

    static func connectIfRunning(_ daemon: DaemonSocket) -> DaemonClient? {
        (try? GuideConnection(path: daemon.path)).map(DaemonClient.init)
    }

    /// Sends `request` and returns the successful reply. A refusal is printed
    /// (`guidectl: nothing is running; …`) and exits 1; a lost daemon exits 69.
    func request(_ request: Request) throws(ExitCode) -> Response {
        let response = try exchange(request)
        if !response.ok {
            throw Console.fail(response.error?.message ?? "the daemon refused '\(request.command.rawValue)'", .refused)
        }
        return response
    }

    /// Sends `request` and returns the reply as it is, refusals included.
    func exchange(_ request: Request) throws(ExitCode) -> Response {
        do {
            return try connection.send(request)
        } catch {
            throw Console.fail(Self.describe(error, hint: nil), .unavailable)
        }
    }

    /// The reply's status, or an error when a reply that must carry one does not.
    func status(of response: Response) throws(ExitCode) -> Status {
        guard let status = response.status else {
            throw Console.fail("the daemon on \(path) answered without a status; is guided the same version as guidectl?", .unavailable)
        }
        return status
    }

    static let notRunningHint = "start a session with 'guidectl start NAME'"

    /// One line for a client error, naming the socket as tmux does.
    static func describe(_ error: ClientError, hint: String?) -> String {
        switch error {
        case .unreachable(let path, let reason, let code):
            let text = isNotRunning(code) ? "no daemon running on \(path)" : "cannot reach the daemon on \(path): \(reason)"
            return hint.map { "\(text) (\($0))" } ?? text
        default:
            return error.description
        }
    }

    /// Whether a connect failure means "nobody listens there" (no socket file, or a stale
    /// one) rather than a problem a new daemon would not fix (permissions, a bad path).
    static func isNotRunning(_ code: Int32?) -> Bool {
        code == ENOENT || code == ECONNREFUSED
    }
}
