import GuideAudio
import Logging

/// Everything `guided` is told by its flags and environment, already resolved.
public struct DaemonOptions: Sendable {
    public var socketPath: String
    public var sessionDirectories: [String]
    public var audioDevice: String
    /// Daemon-wide volume 0…1; a session's own `cues.volume` wins over it.
    public var volume: Double?
    public var logLevel: Logger.Level
    /// `$XDG_STATE_HOME/guide`: history and the crash snapshot.
    public var stateDirectory: String
    public var environment: [String: String]
    /// Connection limits of the socket server (hidden flags let tests lower them).
    public var limits = SocketLimits()
    /// Spoken prompts (`--voice` and friends); a session's own `voice` wins.
    public var voice = VoiceSettings()
    /// The schedule of reminders (`--schedule`, `GUIDE_SCHEDULE`, `$XDG_CONFIG_HOME/guide/schedule.json`); nil for none.
    public var schedulePath: String?

    public init(
        socketPath: String, sessionDirectories: [String], audioDevice: String, volume: Double?, logLevel: Logger.Level,
        stateDirectory: String, environment: [String: String]
    ) {
        self.socketPath = socketPath
        self.sessionDirectories = sessionDirectories
        self.audioDevice = audioDevice
        self.volume = volume
        self.logLevel = logLevel
        self.stateDirectory = stateDirectory
        self.environment = environment
    }

    /// `$XDG_STATE_HOME/guide`, defaulting to `~/.local/state/guide`.
    public static func stateDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/guide" }
        return (environment["HOME"] ?? "/tmp") + "/.local/state/guide"
    }
}
