import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A private, headless sound server for one test — PulseAudio or PipeWire — with a null
/// sink `guide_sink` at 48 kHz, in a temporary `XDG_RUNTIME_DIR` of its own, so that
/// tests hear guide as a desktop user does: through ALSA's `default` PCM and a server.
///
/// - ``route(_:)`` points a ``DaemonFixture``'s ALSA `default` at it, per process, through
///   the fixture's `$XDG_CONFIG_HOME/alsa/asoundrc` (libasound reads that after
///   /etc/alsa/conf.d, whose pipewire-alsa file makes `default` PipeWire machine-wide).
/// - ``record(to:)`` records the sink's monitor, as a person with speakers would hear it.
/// - ``stop()`` (also on deinit) ends every process it started and removes its directory.
///
/// Debian's `pulseaudio` package conflicts with `pipewire-alsa`, so PulseAudio runs from
/// its package unpacked into a directory (`.ci/run` does `apt-get download pulseaudio` and
/// `dpkg -x` into ``pulseAudioRoot``), with its modules and libpulsecore found there.
/// A server that cannot be started throws one line saying what is missing.
public final class SoundServer: @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case pulseAudio = "PulseAudio"
        case pipeWire = "PipeWire"
        public var description: String { rawValue }
    }

    public static let sinkName = "guide_sink"
    public static let sampleRate = 48_000

    /// Where the unpacked PulseAudio package lives: `GUIDE_PULSEAUDIO_ROOT`, else
    /// /var/cache/guide-tests/pulseaudio (what `.ci/run` prepares).
    public static var pulseAudioRoot: String {
        let value = ProcessInfo.processInfo.environment["GUIDE_PULSEAUDIO_ROOT"] ?? ""
        return value.isEmpty ? "/var/cache/guide-tests/pulseaudio" : value
    }

    public let kind: Kind
    /// The temporary directory holding everything of this server.
    public let root: String
    public var runtimeDirectory: String { root + "/runtime" }
    private var processes: [ChildProcess] = []
    private var recorders: [ChildProcess] = []
    private var stopped = false

    private init(kind: Kind) throws {
        self.kind = kind
        var template = Array("/tmp/guide-snd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        root = String(cString: made)
        for directory in [runtimeDirectory, root + "/home", root + "/config"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        chmod(runtimeDirectory, 0o700)
    }

    deinit {
        stop()
    }

    /// Starts a server of `kind` and waits (at most 10 s) until `guide_sink` exists.
    public static func start(_ kind: Kind) throws -> SoundServer {
        let server = try SoundServer(kind: kind)
        do {
            switch kind {
            case .pulseAudio: try server.startPulseAudio()
            case .pipeWire: try server.startPipeWire()
            }
            try server.waitForSink()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// The environment of the server's own processes and of its clients (`pactl`,
    /// recorders, and a daemon routed here).
    public var clientEnvironment: [String: String] {
        var env: [String: String] = [:]
        env["PULSE_SERVER"] = "unix:" + runtimeDirectory + "/pulse/native"
        env["PIPEWIRE_RUNTIME_DIR"] = runtimeDirectory
        return env
    }

    private var serverEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["PULSE_SERVER", "PIPEWIRE_REMOTE", "PIPEWIRE_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY"] {
            env.removeValue(forKey: key)
        }
        env["XDG_RUNTIME_DIR"] = runtimeDirectory
        env["HOME"] = root + "/home"
        env["XDG_CONFIG_HOME"] = root + "/config"
        env["XDG_STATE_HOME"] = root + "/home"
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + runtimeDirectory + "/bus"
        return env
    }

    /// Makes `fixture`'s daemon play through this server: its ALSA `default` becomes the
    /// server's plugin (`pulse` or `pipewire`), and its environment names the server.
    public func route(_ fixture: DaemonFixture) throws {
        let plugin = kind == .pulseAudio ? "pulse" : "pipewire"
        let text = "pcm.!default { type \(plugin) }\nctl.!default { type \(plugin) }\n"
        let directory = fixture.root + "/config/alsa"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/asoundrc"))
        for (key, value) in clientEnvironment { fixture.extraEnvironment[key] = value }
    }

    // MARK: - Starting

    private func startPulseAudio() throws {
        let base = Self.pulseAudioRoot
        let binary = base + "/usr/bin/pulseaudio"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw FixtureError(
                "PulseAudio is not unpacked at \(base) (run .ci/run, or: apt-get download pulseaudio && dpkg -x pulseaudio_*.deb \(base); GUIDE_PULSEAUDIO_ROOT names another place)")
        }
        let libraries = (try? FileManager.default.contentsOfDirectory(atPath: base + "/usr/lib"))?
            .map { base + "/usr/lib/" + $0 + "/pulseaudio" }
            .filter { FileManager.default.fileExists(atPath: $0) } ?? []
        let modules = (try? FileManager.default.contentsOfDirectory(atPath: base + "/usr/lib"))?
            .filter { $0.hasPrefix("pulse-") }
            .map { base + "/usr/lib/" + $0 + "/modules" }.first
        guard let modules else { throw FixtureError("no PulseAudio modules under \(base)/usr/lib/pulse-*/modules") }
        var env = serverEnvironment
        env["LD_LIBRARY_PATH"] = (libraries + [modules]).joined(separator: ":")
        // Root without systemd: --system=no keeps it a per-user server (it warns, and runs).
        try launch(
            binary,
            [
                "--daemonize=no", "--system=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
                "-n", "-p", modules, "--log-target=stderr",
                "-L", "module-null-sink sink_name=\(Self.sinkName) rate=\(Self.sampleRate)",
                "-L", "module-native-protocol-unix",
            ], environment: env, log: "pulseaudio.log")
    }

    private func startPipeWire() throws {
        let env = serverEnvironment
        for tool in ["dbus-daemon", "pipewire", "wireplumber", "pipewire-pulse"] where Self.which(tool) == nil {
            throw FixtureError("\(tool) is not installed (apt-get install dbus pipewire wireplumber pipewire-pulse)")
        }
        try launch(
            Self.which("dbus-daemon")!, ["--session", "--nofork", "--nopidfile", "--address=unix:path=\(runtimeDirectory)/bus"],
            environment: env, log: "dbus.log")
        try waitFor("the D-Bus session bus") { FileManager.default.fileExists(atPath: self.runtimeDirectory + "/bus") }
        try launch(Self.which("pipewire")!, [], environment: env, log: "pipewire.log")
        try waitFor("pipewire") { FileManager.default.fileExists(atPath: self.runtimeDirectory + "/pipewire-0") }
        try launch(Self.which("wireplumber")!, [], environment: env, log: "wireplumber.log")
        try launch(Self.which("pipewire-pulse")!, [], environment: env, log: "pipewire-pulse.log")
        try waitFor("wireplumber's default metadata") {
            ((try? self.run("pw-metadata", ["-n", "default"])) ?? "").contains("default.")
        }
        _ = try run("pactl", ["load-module", "module-null-sink", "sink_name=\(Self.sinkName)", "rate=\(Self.sampleRate)"])
    }

    private func waitForSink() throws {
        try waitFor("the null sink \(Self.sinkName)") {
            ((try? self.run("pactl", ["list", "short", "sinks"])) ?? "").contains(Self.sinkName)
        }
        _ = try run("pactl", ["set-default-sink", Self.sinkName])
    }

    private func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if let dead = processes.first(where: { !$0.isRunning }) {
                throw FixtureError("\(kind) did not start: \(dead.name) exited (status \(dead.exitStatus ?? -1)): \(logs)")
            }
            if ContinuousClock.now > deadline { throw FixtureError("\(kind) did not start: no \(what) after \(timeout): \(logs)") }
            usleep(20_000)
        }
    }

    /// The last lines of the servers' logs, for a failure message.
    public var logs: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)).map { $0.filter { $0.hasSuffix(".log") } } ?? []
        return names.sorted().map { name in
            let text = (try? String(contentsOfFile: root + "/" + name, encoding: .utf8)) ?? ""
            return name + ": " + text.split(separator: "\n").suffix(5).joined(separator: " | ")
        }.joined(separator: "; ")
    }

    private func launch(_ path: String, _ arguments: [String], environment: [String: String], log: String) throws {
        processes.append(try ChildProcess(path, arguments, environment: environment, stdout: .file(root + "/" + log), stderr: .append(root + "/" + log)))
    }

    // MARK: - Asking the server

    /// Runs a client tool (`pactl`, `pw-dump`, …) against this server and returns its
    /// standard output; throws if it fails.
    @discardableResult
    public func run(_ tool: String, _ arguments: [String], timeout: Duration = .seconds(10)) throws -> String {
        guard let path = Self.which(tool) else { throw FixtureError("\(tool) is not installed") }
        var env = serverEnvironment
        for (key, value) in clientEnvironment { env[key] = value }
        let output = root + "/.\(tool)-\(UUID().uuidString).out"
        defer {
            unlink(output)
            unlink(output + ".err")
        }
        let child = try ChildProcess(path, arguments, environment: env, stdout: .file(output), stderr: .append(output + ".err"))
        guard child.wait(timeout: timeout) else {
            child.end()
            throw FixtureError("\(tool) \(arguments.joined(separator: " ")) did not finish in \(timeout)")
        }
        let stdout = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard child.exitStatus == 0 else {
            let stderr = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            throw FixtureError("\(tool) \(arguments.joined(separator: " ")) failed: \(stderr)")
        }
        return stdout
    }

    /// The playback streams connected to the server (`pactl list short sink-inputs`), one
    /// line each: empty when no program holds a stream open.
    public func sinkInputs() throws -> [String] {
        try run("pactl", ["list", "short", "sink-inputs"]).split(separator: "\n").map(String.init)
    }

    // MARK: - Recording

    /// Starts recording the sink's monitor as raw S16_LE mono 48 kHz into `path`:
    /// `parec --latency-msec=1` on PulseAudio (without the flag a recording comes in 2 s
    /// chunks), `pw-record` on PipeWire, at real-time priority where allowed (beside CPU
    /// hogs a recorder without it loses whole blocks). Returns once the recorder has
    /// written its first 100 ms.
    public func record(to path: String) throws -> SinkRecording {
        var command: [String]
        switch kind {
        case .pulseAudio:
            command = [
                Self.which("parec") ?? "parec", "--latency-msec=1", "-d", Self.sinkName + ".monitor", "--format=s16le",
                "--rate=\(Self.sampleRate)", "--channels=1", "--raw",
            ]
        case .pipeWire:
            command = [
                Self.which("pw-record") ?? "pw-record", "-P", "{ stream.capture.sink=true }", "--target", Self.sinkName,
                "--format", "s16", "--rate", "\(Self.sampleRate)", "--channels", "1", "-",
            ]
        }
        if geteuid() == 0, let chrt = Self.which("chrt") {
            command = [chrt, "-f", "50"] + command
        }
        var env = serverEnvironment
        for (key, value) in clientEnvironment { env[key] = value }
        let errors = root + "/recorder-\(recorders.count).log"
        let process = try ChildProcess(command[0], Array(command.dropFirst()), environment: env, stdout: .file(path), stderr: .append(errors))
        recorders.append(process)
        // Recording has begun once the recorder's stream shows up as a source output.
        try waitFor("a recording stream") {
            guard process.isRunning else { return true }
            return !(((try? self.run("pactl", ["list", "short", "source-outputs"])) ?? "").isEmpty)
        }
        guard process.isRunning else {
            throw FixtureError("the recorder \(command.joined(separator: " ")) exited: \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        }
        let recording = SinkRecording(process: process, path: path)
        // …and sound flows once the sink renders in small blocks. A PulseAudio null sink
        // renders its first block at the longest latency it allows (2 s) because no client
        // has asked for less yet, and renders nothing more until that block is due: a
        // stream that connects meanwhile waits up to 2 s before the server takes a sample,
        // and is cut by as much when it is removed (its render-ahead is rewound). A desktop's
        // long-running server does not start that way; a test that started its server a
        // moment ago must wait for it, or it measures the module's start-up, not guide.
        try waitFor("sound from the recorder", timeout: .seconds(10)) {
            !process.isRunning || recording.samplesSoFar().count >= Self.sampleRate / 10
        }
        return recording
    }

    // MARK: - Stopping

    /// Ends every process this server started (recorders first), waits for them, and
    /// removes its directory. Later calls do nothing.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for process in (recorders + processes).reversed() {
            process.end()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/sbin", "/bin"] {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A recording of a sound server's sink monitor in progress (see ``SoundServer/record(to:)``).
public final class SinkRecording: @unchecked Sendable {
    private let process: ChildProcess
    public let path: String

    init(process: ChildProcess, path: String) {
        self.process = process
        self.path = path
    }

    deinit {
        process.end()
    }

    /// What has been recorded so far (the recorder keeps running).
    public func samplesSoFar() -> [Int16] {
        (try? ToneAnalysis.readRawS16LE(path: path)) ?? []
    }

    /// How long a recorder keeps recording after ``finish()`` is called: a monitor
    /// delivers the tail of what was played late (PulseAudio up to ~2 s), and a recorder
    /// ended at once loses it. (Started by SoundServer.Child, recorders inherited the
    /// test thread's blocked SIGTERM and recorded 3 s more until the SIGKILL that followed;
    /// ended promptly, PulseAudio recordings of the spoken prompts lost 2.2 s of 5.8.)
    public static let tail: Duration = .seconds(3)

    /// Records ``tail`` more, stops the recorder and returns what it recorded.
    public func finish() throws -> [Int16] {
        if process.isRunning { usleep(UInt32(Self.tail.components.seconds) * 1_000_000) }
        process.end()
        return try ToneAnalysis.readRawS16LE(path: path)
    }
}
