import Foundation
import Glibc

/// A `guided` in a directory of its own: XDG dirs, sessions, socket and log all inside
/// it, so no run sees another's history or sessions.
final class GuidedInstance {
    let root: String
    let socket: String
    let child: Child
    let startedAt: Int64
    let readyAt: Int64

    /// Starts `binary` and waits until its socket accepts a connection.
    init(binary: String, root: String, sessions: [String: String] = [:], audioDevice: String = "null") throws {
        self.root = root
        for sub in ["sessions", "runtime", "config", "data", "state"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        chmod(root + "/runtime", 0o700)
        for (name, json) in sessions {
            try json.write(toFile: "\(root)/sessions/\(name).json", atomically: true, encoding: .utf8)
        }
        socket = root + "/runtime/guided.sock"
        var env = ProcessInfo.processInfo.environment
        env["XDG_RUNTIME_DIR"] = root + "/runtime"
        env["XDG_CONFIG_HOME"] = root + "/config"
        env["XDG_DATA_HOME"] = root + "/data"
        env["XDG_STATE_HOME"] = root + "/state"
        env["XDG_DATA_DIRS"] = root + "/data"
        env["GUIDE_NO_CHECKOUT_SESSIONS"] = "1"
        for key in ["GUIDE_SOCKET", "GUIDE_SESSIONS_PATH", "GUIDE_AUDIO_DEVICE", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "WATCHDOG_USEC"] {
            env[key] = nil
        }
        startedAt = Monotonic.now()
        child = try Child(
            [binary, "--socket", socket, "--sessions-dir", root + "/sessions", "--audio-device", audioDevice, "--log-level", "warning"],
            environment: env, log: root + "/guided.log")
        readyAt = try GuidedInstance.waitForSocket(socket, child: child, timeout: 20)
    }

    /// Polls `path` every 100 µs until it accepts; returns the instant it did.
    static func waitForSocket(_ path: String, child: Child, timeout: Double) throws -> Int64 {
        let deadline = Monotonic.now() + Int64(timeout * 1e9)
        while Monotonic.now() < deadline {
            if LineSocket.accepts(path) { return Monotonic.now() }
            if child.wait(timeout: 0) { throw BenchError("\(child.argv[0]) exited before its socket was ready") }
            Monotonic.sleep(seconds: 0.0001)
        }
        throw BenchError("\(child.argv[0]) did not open \(path) within \(timeout) s")
    }

    var pid: pid_t { child.pid }

    func connect() throws -> LineSocket { try LineSocket(path: socket) }

    func stop() { child.terminate() }
}

/// mpd with a `null` audio output and everything in a temporary directory: the baseline.
final class MPDInstance {
    let root: String
    let socket: String
    let child: Child
    let readyAt: Int64
    let startedAt: Int64

    init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root + "/music", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/playlists", withIntermediateDirectories: true)
        socket = root + "/mpd.sock"
        let config = """
            music_directory     "\(root)/music"
            playlist_directory  "\(root)/playlists"
            db_file             "\(root)/mpd.db"
            log_file            "\(root)/mpd.log"
            state_file          "\(root)/mpd.state"
            bind_to_address     "\(socket)"
            max_connections     "400"
            zeroconf_enabled    "no"
            audio_output {
                type "null"
                name "null"
            }

            """
        try config.write(toFile: root + "/mpd.conf", atomically: true, encoding: .utf8)
        unlink(socket)
        startedAt = Monotonic.now()
        child = try Child(["mpd", "--no-daemon", root + "/mpd.conf"], log: root + "/mpd.stderr")
        readyAt = try GuidedInstance.waitForSocket(socket, child: child, timeout: 20)
    }

    var pid: pid_t { child.pid }

    func stop() { child.terminate() }
}
