import FoundationEssentials
import GuideCore
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A real `guided` process in a temporary home: its own socket, session directory and XDG
/// directories, and an ALSA device that needs no sound card (`null` by default).
///
/// End-to-end tests use it to check what a user would see; it waits for the socket to
/// accept instead of sleeping, and kills the daemon when the fixture goes away.
public final class DaemonFixture: @unchecked Sendable {
    public let root: String
    public let socketPath: String
    public let sessionsDirectory: String
    public let stateDirectory: String
    public let logPath: String
    public let audioDevice: String
    public private(set) var process: ChildProcess?
    private let extraArguments: [String]
    /// Added to the daemon's and guidectl's environment; may be changed before `start()`.
    public var extraEnvironment: [String: String]
    /// The daemon's nice value (`nice -n`, every thread of it); may be changed before
    /// `start()`. Negative values need root or CAP_SYS_NICE.
    public var nice: Int32 = 0

    /// Creates the temporary home and writes `sessions` (name → JSON text) into it.
    public init(
        sessions: [String: String] = [:], audioDevice: String = "null", arguments: [String] = [],
        environment: [String: String] = [:]
    ) throws {
        // Short paths: a socket path must fit in 108 bytes.
        var template = Array("/tmp/guide-e2e-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        root = String(cString: made)
        socketPath = root + "/run/guided.sock"
        sessionsDirectory = root + "/sessions"
        stateDirectory = root + "/state/guide"
        logPath = root + "/guided.log"
        self.audioDevice = audioDevice
        extraArguments = arguments
        extraEnvironment = environment
        for dir in [sessionsDirectory, root + "/config", root + "/data", root + "/state", root + "/runtime"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        for (name, text) in sessions { try writeSession(name, text) }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    deinit {
        process?.kill()
        // Daemons guidectl started on its own, and any other process still living in this
        // home, before the home goes (DaemonFixture+Strays).
        let strays = DaemonFixture.killStrayDaemons(under: root)
        if !strays.isEmpty, ProcessInfo.processInfo.environment["GUIDE_TEST_REPORT_STRAYS"] != nil {
            let sessions = (try? FileManager.default.contentsOfDirectory(atPath: sessionsDirectory)) ?? []
            let line = "DaemonFixture: killed strays \(strays) under \(root) (sessions \(sessions), own \(process?.pid ?? 0))\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The directory of the test binary, where SwiftPM also puts `guided` and `guidectl`;
    /// `GUIDE_TEST_BIN_DIR` points the end-to-end tests at other builds instead, such as
    /// the installed release binaries (`GUIDE_TEST_BIN_DIR=~/.local/bin swift test`).
    public static var binaryDirectory: String {
        if let directory = ProcessInfo.processInfo.environment["GUIDE_TEST_BIN_DIR"], !directory.isEmpty { return directory }
        return SearchPath.currentExecutableDirectory() ?? FileManager.default.currentDirectoryPath
    }

    public static func binary(_ name: String) -> String { binaryDirectory + "/" + name }

    /// The environment the daemon and CLI run with: temporary XDG directories, no sound card.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "WATCHDOG_USEC", "JOURNAL_STREAM", "GUIDE_SOCKET", "GUIDE_SESSIONS_PATH", "GUIDE_AUDIO_DEVICE"] {
            env.removeValue(forKey: key)
        }
        env["XDG_CONFIG_HOME"] = root + "/config"
        env["XDG_DATA_HOME"] = root + "/data"
        env["XDG_STATE_HOME"] = root + "/state"
        env["XDG_RUNTIME_DIR"] = root + "/runtime"
        env["XDG_DATA_DIRS"] = root + "/data-dirs"
        env["HOME"] = root
        env["GUIDE_NO_CHECKOUT_SESSIONS"] = "1"
        for (key, value) in extraEnvironment { env[key] = value }
        return env
    }

    public func writeSession(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(sessionsDirectory)/\(name).json"))
    }

    /// Starts `guided` and, unless told not to, waits (at most 10 s) until its socket accepts.
    public func start(waitingUntilReady wait: Bool = true) throws {
        let arguments =
            ["--socket", socketPath, "--sessions-dir", sessionsDirectory, "--audio-device", audioDevice, "--log-level", "debug"]
            + extraArguments
        // `nice` execs guided in its own place: the pid stays the daemon's.
        let command = nice == 0 ? [DaemonFixture.binary("guided")] : ["/usr/bin/nice", "-n", "\(nice)", DaemonFixture.binary("guided")]
        let process = try ChildProcess(
            command[0], Array(command.dropFirst()) + arguments, environment: environment, stdout: .append(logPath),
            stderr: .append(logPath))
        self.process = process
        if wait { try waitUntilReady() }
    }

    public func waitUntilReady(timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let process, !process.isRunning {
                throw FixtureError("guided exited with status \(process.exitStatus ?? -1): \(log)")
            }
            if (try? GuideConnection(path: socketPath)) != nil { return }
            usleep(10_000)
        }
        throw FixtureError("guided did not open \(socketPath) in time: \(log)")
    }

    public func connect() throws -> GuideConnection { try GuideConnection(path: socketPath) }

    /// Sends one request on a fresh connection.
    public func request(_ command: Command, session: String? = nil, replace: Bool? = nil, limit: Int? = nil) throws -> Response {
        try connect().send(Request(command: command, session: session, replace: replace, limit: limit))
    }

    public func signal(_ number: Int32) {
        process?.signal(number)
    }

    /// Waits for the daemon to exit and returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) throws -> Int32 {
        guard let process else { throw FixtureError("not started") }
        guard process.wait(timeout: timeout), let status = process.exitStatus else {
            throw FixtureError("guided did not exit in time: \(log)")
        }
        return status
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public var historyLines: [String] {
        let text = (try? String(contentsOfFile: stateDirectory + "/history.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Runs `guidectl` with `arguments` against this daemon and returns its exit code and output.
    public func guidectl(_ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(30)) throws -> CommandResult {
        var env = environment
        env["GUIDE_SOCKET"] = socketPath
        env["GUIDE_SESSIONS_PATH"] = sessionsDirectory
        env["GUIDE_AUDIO_DEVICE"] = audioDevice
        for (key, value) in extra { env[key] = value }
        return try CommandResult.run(DaemonFixture.binary("guidectl"), arguments, environment: env, timeout: timeout)
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
