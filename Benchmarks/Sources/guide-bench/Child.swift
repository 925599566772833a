import Foundation
import Glibc

/// A process started with posix_spawn, its output sent to a file.
final class Child {
    let pid: pid_t
    let argv: [String]
    private var exitStatus: Int32?

    /// Starts `argv` (argv[0] a path, or a name looked up on PATH) with `environment`
    /// (nil: inherit), stdin from /dev/null, stdout and stderr appended to `log`.
    init(_ argv: [String], environment: [String: String]? = nil, log: String = "/dev/null", stdout: String? = nil) throws {
        self.argv = argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        let result = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard result == 0 else { throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    func signal(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// Waits for the exit; returns the exit code (128+signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }

    /// Waits up to `timeout` seconds; true if it exited.
    func wait(timeout: Double) -> Bool {
        if exitStatus != nil { return true }
        let deadline = Monotonic.now() + Int64(timeout * 1e9)
        while Monotonic.now() < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return true
            }
            Monotonic.sleep(seconds: 0.005)
        }
        return false
    }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    func terminate(grace: Double = 5) {
        signal(SIGTERM)
        if !wait(timeout: grace) {
            signal(SIGKILL)
            wait()
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `argv` to completion and returns its exit code and standard output.
@discardableResult
func runCapture(_ argv: [String], environment: [String: String]? = nil) throws -> (code: Int32, output: String) {
    let out = NSTemporaryDirectory() + "guide-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
    defer { unlink(out) }
    let child = try Child(argv, environment: environment, log: "/dev/null", stdout: out)
    let code = child.wait()
    let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    return (code, text)
}
