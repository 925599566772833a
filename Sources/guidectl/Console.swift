import ArgumentParser
import GuideCLI
#if canImport(Glibc)
import Glibc
#endif

/// Where guidectl's words go: answers on stdout, one-line errors on stderr prefixed
/// `guidectl: `.
enum Console {
    /// Prints `guidectl: message` on stderr, one line.
    static func error(_ message: String) {
        var bytes = Array("guidectl: ".utf8)
        bytes.append(contentsOf: message.utf8.lazy.map { $0 == 0x0A ? 0x20 : $0 })
        bytes.append(0x0A)
        write(bytes, to: STDERR_FILENO)
    }

    /// Prints the error and returns the exit status to throw.
    static func fail(_ message: String, _ code: ExitCode) -> ExitCode {
        error(message)
        return code
    }

    /// Writes `text` to stdout as is and flushes (for lines redrawn with `\r`).
    /// Unbuffered: every byte goes out with write(2), so nothing waits in a buffer.
    /// Returns false when stdout is closed (e.g. `| head`, or a status bar that exited).
    @discardableResult
    static func write(_ text: String) -> Bool {
        write(Array(text.utf8), to: STDOUT_FILENO)
    }

    /// Writes all of `bytes` to `fd`, retrying after signals; false when `fd` is closed.
    @discardableResult
    static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false  // stdout closed (e.g. `| head`): nothing more can be said there
            }
            offset += n
        }
        return true
    }

    /// Prints a line on stdout and flushes, so a pipe reader sees it at once.
    static func line(_ text: String) {
        write(text + "\n")
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour on stdout: only on a terminal, never with NO_COLOR set (``TextStyle``).
    static var style: TextStyle {
        TextStyle.forOutput(isTerminal: stdoutIsTerminal, noColor: Environment.value("NO_COLOR"))
    }

    /// The terminal's width, when stdout is a terminal that says.
    static var columns: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The local wall-clock time as `HH:MM:SS`.
    static func clockTime() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
