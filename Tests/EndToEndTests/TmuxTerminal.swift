import Foundation
import GuideTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real terminal for end-to-end tests: one tmux server on a socket of its own, one
/// window of a given size running one command, read back with `capture-pane` and driven
/// with `send-keys`. The pane stays after the command exits (`remain-on-exit`), so its
/// last words can be read; the server is killed when the terminal goes away.
final class TmuxTerminal {
    let directory: String
    var socket: String { directory + "/tmux.sock" }

    /// Starts `command` (argv) with `environment` in a `width`×`height` window.
    init(width: Int, height: Int = 10, command: [String], environment: [String: String]) throws {
        var template = Array("/tmp/guide-tmux-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        directory = String(cString: made)
        let config = directory + "/tmux.conf"
        try "set -g exit-empty on\nset -g remain-on-exit on\nset -g status off\nset -g history-limit 100\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let assignments = environment.sorted { $0.key < $1.key }.map { Self.quoted("\($0.key)=\($0.value)") }
        let line = "exec env -i " + assignments.joined(separator: " ") + " " + command.map(Self.quoted).joined(separator: " ")
        let result = try tmux(["-f", config, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "t", line])
        guard result.status == 0 else { throw FixtureError("tmux could not start (is tmux installed?): \(result.text)") }
        serverPID = pid_t(try tmux(["display-message", "-p", "#{pid}"]).text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The tmux server's process, killed with its window when the terminal goes away.
    private var serverPID: pid_t = 0

    deinit {
        _ = try? tmux(["kill-server"])
        if serverPID > 0 { kill(serverPID, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The pane's text, with its colours as SGR escapes when `escapes` is true.
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : [])).text
    }

    /// Sends keys as tmux names them (`C-c`, `Enter`, text).
    func send(_ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", "t"] + keys)
    }

    /// Waits (polling the pane every 50 ms) until `condition` holds for its text.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(15), escapes: Bool = false, _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var text = ""
        while ContinuousClock.now < deadline {
            text = try capture(escapes: escapes)
            if condition(text) { return text }
            usleep(50_000)
        }
        throw FixtureError("terminal never showed \(what); it shows:\n\(text)")
    }

    /// Runs tmux to its end, its output (both streams) in a file. A ChildProcess, not
    /// Foundation's Process, which did not see a `new-session` client exit while the
    /// server it forked lived on; it starts with default signal handling and no blocked
    /// signals, whatever the test runner's threads have: Ctrl-C must reach the program
    /// as it would at a shell.
    private func tmux(_ arguments: [String]) throws -> (status: Int32, text: String) {
        let output = directory + "/out-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(output) }
        let child: ChildProcess
        do {
            child = try ChildProcess(
                "/usr/bin/tmux", ["-S", socket] + arguments, environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color"],
                stdout: .append(output), stderr: .append(output))
        } catch {
            throw FixtureError("cannot run /usr/bin/tmux (is tmux installed?): \(error)")
        }
        guard child.wait(timeout: .seconds(10)), let status = child.exitStatus else {
            child.kill()
            throw FixtureError("tmux \(arguments.joined(separator: " ")) did not finish")
        }
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
