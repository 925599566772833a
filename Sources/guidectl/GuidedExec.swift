import ArgumentParser
import GuideCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Hands a command over to `guided` (the one next to guidectl, else on PATH) by `exec`:
/// the ALSA checks live there, so that guidectl never loads libasound and stays quick
/// to start for status bars.
enum GuidedExec {
    static func replaceProcess(arguments: [String]) -> ExitCode {
        guard let guided = DaemonLauncher.guidedExecutable(environment: ProcessInfo.processInfo.environment) else {
            return Console.fail("cannot find guided next to guidectl or on PATH; install it", .unavailable)
        }
        // argv[0] "guidectl": guided's messages then begin "guidectl: ", as every other
        // error of the command the user typed does.
        let argv: [UnsafeMutablePointer<CChar>?] = (["guidectl"] + arguments).map { strdup($0) } + [nil]
        execv(guided, argv)
        return Console.fail("cannot run \(guided): \(SystemError.current())", .unavailable)
    }
}
