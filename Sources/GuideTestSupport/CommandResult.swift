import FoundationEssentials
import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// The exit status and whole output of a finished command, for end-to-end tests.
public struct CommandResult: Sendable {
    /// The exit code, or 128 + the signal that ended the command (see ``ChildProcess/exitStatus``).
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Runs `executable` to completion (killing its process group after `timeout`),
    /// capturing both streams. Blocks the calling thread: for short commands.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws -> CommandResult {
        let files = try Files(stdin: stdin)
        defer { files.remove() }
        let child = try files.start(executable, arguments, environment: environment)
        guard child.wait(timeout: timeout) else {
            child.kill()
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) did not finish in \(timeout)")
        }
        return files.result(of: child)
    }

    /// ``run(_:_:environment:stdin:timeout:)`` awaited: for commands that take long (a
    /// release build, a daemon's whole session). A synchronous test that waits that long
    /// holds one of the few threads every test shares, and on a 2-core runner the rest of
    /// the suite then waits behind it.
    public static func runAwaiting(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: String? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> CommandResult {
        let files = try Files(stdin: stdin)
        defer { files.remove() }
        let child = try files.start(executable, arguments, environment: environment)
        guard await child.exited(timeout: timeout) else {
            child.kill()
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) did not finish in \(timeout)")
        }
        return files.result(of: child)
    }

    /// The command's streams: files in a temporary directory, not pipes, so that a daemon
    /// the command starts (guidectl starts guided) holds nothing the test waits on.
    struct Files {
        let directory: String
        let stdin: Bool

        init(stdin text: String?) throws {
            var template = Array("/tmp/guide-cmd-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed: \(SystemError.current())") }
            directory = String(cString: made)
            stdin = text != nil
            if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/in")) }
        }

        func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildProcess {
            try ChildProcess(
                executable, arguments, environment: environment, stdin: stdin ? .file(directory + "/in") : .null,
                stdout: .file(directory + "/out"), stderr: .file(directory + "/err"))
        }

        func result(of child: ChildProcess) -> CommandResult {
            CommandResult(
                status: child.exitStatus ?? -1,
                stdout: (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? "")
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }
}
