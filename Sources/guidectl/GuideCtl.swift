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
            Commands that need the daemon start guided in the background when none is \
            running (the guided next to guidectl, else the one on PATH; its log goes to \
            $XDG_STATE_HOME/guide/guided.log). 'status' never starts one.

            Exit status: 0 ok, 1 refused by the daemon (e.g. nothing running), 64 usage \
            error, 65 invalid session file, 69 daemon unreachable.
            """,
        version: GuideVersion.current,
        subcommands: [
            Start.self, Stop.self, Pause.self, Resume.self, Toggle.self, Skip.self, Back.self,
            Status.self, Watch.self, List.self, Show.self, New.self, Validate.self, Reload.self, History.self,
            TestSound.self, Devices.self, Version.self, Schedule.self, Done.self, Snooze.self, Quiet.self,
        ])

    @OptionGroup var global: GlobalOptions

    /// Runs the command line: the plain ones through ``QuickParse`` (the same values and
    /// code, without ArgumentParser's start-up cost), everything else through
    /// ArgumentParser. Errors end the process the same way on both paths.
    static func main() {
        guard let run = QuickParse.command(CommandLine.arguments.dropFirst()) else {
            main(nil)
            return
        }
        do {
            try run()
        } catch let code as ExitCode {
            // What `exit(withError:)` does for an ExitCode (no message, that status),
            // without the usage text it renders first and then drops.
            Glibc.exit(code.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
