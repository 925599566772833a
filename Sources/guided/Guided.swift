import ArgumentParser
import FoundationEssentials
import GuideAudio
import GuideCore
import GuideDaemon
import GuideProtocol
import Logging

/// `guided`: the daemon. Flags and environment in, a running ``Daemon`` out.
struct Guided: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guided",
        abstract: "Runs timed guided sessions and serves their status on a Unix socket.",
        discussion: "Usually started by systemd (guided.socket) or on demand by guidectl.",
        version: GuideVersion.current)

    @Option(help: ArgumentHelp("Unix socket to listen on (env GUIDE_SOCKET).", valueName: "path"))
    var socket: String?

    @Option(name: .customLong("sessions-dir"), help: ArgumentHelp("Directory of session files, searched first; repeatable (env GUIDE_SESSIONS_PATH).", valueName: "dir"))
    var sessionsDirs: [String] = []

    @Option(name: .customLong("audio-device"), help: ArgumentHelp("ALSA PCM for cues: default, hw:1, null, file:'/tmp/cues.raw',raw (env GUIDE_AUDIO_DEVICE).", valueName: "pcm"))
    var audioDevice: String?

    @Option(help: ArgumentHelp("Cue volume 0–1 for sessions that do not set their own (env GUIDE_VOLUME).", valueName: "gain"))
    var volume: Double?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env GUIDE_LOG_LEVEL).", valueName: "level"))
    var logLevel: String?

    // Limits of the socket server; hidden because only tests need to change them.
    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds a connection may leave a line unfinished.", visibility: .hidden))
    var idleTimeout: Double?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Concurrent connections served.", visibility: .hidden))
    var maxConnections: Int?

    @Option(name: .customLong("subscriber-backlog"), help: ArgumentHelp("Events a subscriber may fall behind by before it is dropped.", visibility: .hidden))
    var subscriberBacklog: Int?

    @Option(help: ArgumentHelp("Schedule of reminders (env GUIDE_SCHEDULE; default $XDG_CONFIG_HOME/guide/schedule.json).", valueName: "file"))
    var schedule: String?

    @Flag(name: .customLong("list-devices"), help: "List the ALSA PCM devices and exit.")
    var listDevices = false

    @Flag(name: .customLong("test-sound"), help: "Play every cue once on --audio-device, naming each, and exit.")
    var testSound = false

    @Option(name: .customLong("session"), help: ArgumentHelp("With --test-sound: play this session's own cues (a name on the search path, or a .json file).", valueName: "name|file"))
    var testSoundSession: String?

    @OptionGroup(title: "Spoken prompts") var voice: VoiceOptions

    func validate() throws {
        if let idleTimeout, !(idleTimeout > 0) { throw ValidationError("--idle-timeout must be more than 0 seconds") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let subscriberBacklog, subscriberBacklog < 1 { throw ValidationError("--subscriber-backlog must be at least 1") }
        if let volume, !(0...1).contains(volume) { throw ValidationError("--volume must be between 0 and 1, not \(volume)") }
        if testSoundSession != nil, !testSound { throw ValidationError("--session goes with --test-sound") }
        if let level = logLevel ?? ProcessInfo.processInfo.environment["GUIDE_LOG_LEVEL"], Logger.Level(rawValue: level) == nil {
            throw ValidationError("unknown log level '\(level)' (use trace, debug, info, notice, warning, error or critical)")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if listDevices {
            guard AudioChecks.listDevices() else { throw ExitCode(1) }
            return
        }
        if testSound {
            let device = audioDevice ?? environment["GUIDE_AUDIO_DEVICE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            var session: Session?
            if let testSoundSession {
                let directories = SearchPath.forCurrentProcess(flags: sessionsDirs, environment: environment)
                session = try AudioChecks.session(testSoundSession, directories: directories)
            }
            guard AudioChecks.testSound(device: device, volume: volume, session: session) else { throw ExitCode(1) }
            return
        }
        var volume = self.volume
        if volume == nil, let text = environment["GUIDE_VOLUME"] {
            guard let value = Double(text), (0...1).contains(value) else {
                throw ValidationError("GUIDE_VOLUME must be a number between 0 and 1, not '\(text)'")
            }
            volume = value
        }
        var options = DaemonOptions(
            socketPath: SocketPath.resolve(explicit: socket, environment: environment),
            sessionDirectories: SearchPath.forCurrentProcess(flags: sessionsDirs, environment: environment),
            audioDevice: audioDevice ?? environment["GUIDE_AUDIO_DEVICE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            volume: volume,
            logLevel: Logger.Level(rawValue: logLevel ?? environment["GUIDE_LOG_LEVEL"] ?? "info") ?? .info,
            stateDirectory: DaemonOptions.stateDirectory(environment: environment),
            environment: environment)
        if let idleTimeout { options.limits.idleTimeout = .nanoseconds(Int64(idleTimeout * 1e9)) }
        if let maxConnections { options.limits.maximumConnections = maxConnections }
        if let subscriberBacklog { options.limits.subscriberBacklog = subscriberBacklog }
        options.voice = try voice.settings(environment: environment)
        options.schedulePath = ScheduleFile.path(flag: schedule, environment: environment)
        do {
            try await Daemon.run(options)
        } catch let error as DaemonError {
            StandardStream.error.write("guided: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
