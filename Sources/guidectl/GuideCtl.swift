import ArgumentParser
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `guidectl`: the command line of guide. Flags in, one request to `guided` (through the
/// GuideProtocol client), a short answer out. Each subcommand lives in `Subcommands/`.
@main
struct GuideCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guidectl",
        abstract: "Start, follow and control timed guided sessions run by guided.",
        discussion: """
            Without a command, guidectl prints the status, as 'guidectl status' (as mpc does). \
            Commands that need the daemon start guided in the background when none is \
            running (the guided next to guidectl, else the one on PATH; its log goes to \
            $XDG_STATE_HOME/guide/guided.log). 'status', 'list', 'show', 'history', \
            'validate' and 'version' never start one.

            Exit status: 0 ok, 1 refused by the daemon (e.g. nothing running), 64 usage \
            error (one line on stderr, with how to fix it), 65 invalid session file, \
            69 daemon unreachable.
            """,
        version: GuideVersion.current,
        subcommands: [
            Start.self, Stop.self, Pause.self, Resume.self, Toggle.self, Skip.self, Back.self,
            Status.self, Watch.self, List.self, Show.self, New.self, Validate.self, Reload.self, History.self,
            TestSound.self, Devices.self, Version.self, Schedule.self, Done.self, Snooze.self, Quiet.self,
        ])

    @OptionGroup var global: GlobalOptions

    /// `guidectl` alone: the status line, as `mpc` alone prints mpd's (never starts a daemon).
    func run() throws {
        try Status.run(global.daemon, json: false, format: nil, long: false)
    }

    /// Runs the command line: the plain ones through ``QuickParse`` (the same values and
    /// code, without ArgumentParser's start-up cost), everything else through
    /// ArgumentParser. Errors end the process the same way on both paths: one line on
    /// stderr, and 64 for a usage error (ArgumentParser's own multi-line usage text is
    /// reduced to its message and a pointer to the command's help).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let run = QuickParse.command(arguments[...]) {
            finish(running: run)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            // Help, --version and completion scripts: ArgumentParser prints them and exits 0.
            guard code != .success else { exit(withError: error) }
            Console.error(UsageError.line(message(for: error), arguments: arguments))
            Glibc.exit(ExitCode.validationFailure.rawValue)
        }
        var runnable = command
        finish { try runnable.run() }
    }

    /// Runs `body` and exits with its outcome: 0, the thrown ``ExitCode`` (its message is
    /// already out), help as ArgumentParser prints it, 64 with one line for a usage error,
    /// else ArgumentParser's status with one line.
    static func finish(running body: () throws -> Void) -> Never {
        do {
            try body()
            Glibc.exit(0)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            // ArgumentParser's own (help, a ValidationError thrown late) and anything else.
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            if code == .validationFailure {
                Console.error(UsageError.line(message(for: error), arguments: Array(CommandLine.arguments.dropFirst())))
            } else {
                Console.error(message(for: error))
            }
            Glibc.exit(code.rawValue)
        }
    }
}
