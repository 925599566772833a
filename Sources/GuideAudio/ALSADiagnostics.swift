import Logging
import Synchronization

/// Where libasound's own messages go ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate)
/// Unknown PCM hw:9"). By default libasound prints them to stderr, which under journald
/// turns every retry against a missing card into noise; guide installs a quiet handler
/// before its first ALSA call and sends the text to a logger at debug level instead
/// (the `ALSAError` that follows already says what failed, at the level the caller picks).
///
/// The handler is process-wide, so this is a namespace over process-wide state.
public enum ALSADiagnostics {
    /// How many recent messages ``recentMessages`` keeps.
    public static let recentLimit = 32

    private struct State: ~Copyable {
        var logger: Logger?
        var recent: [String] = []
    }

    private static let state = Mutex(State())

    /// Installs the quiet handler exactly once (Swift runs a global's initializer once,
    /// thread-safely).
    private static let installed: Bool = {
        ALSA.setMessageCallback { message in
            guard let message else { return }
            ALSADiagnostics.receive(String(cString: message))
        }
        return true
    }()

    /// Makes sure libasound will not print to stderr. Called before every open and list;
    /// cheap after the first time.
    static func installIfNeeded() {
        _ = installed
    }

    /// Sends libasound's messages to `logger` (debug level) from now on. The daemon calls
    /// this once at startup; without it the messages are only kept in ``recentMessages``.
    public static func route(to logger: Logger) {
        installIfNeeded()
        state.withLock { $0.logger = logger }
    }

    /// Like ``route(to:)``, unless something was routed already: a `CuePlayer` calls this
    /// with its logger, so a daemon that never calls ``route(to:)`` still logs them.
    static func routeIfUnset(to logger: Logger) {
        installIfNeeded()
        state.withLock { state in
            if state.logger == nil {
                state.logger = logger
            }
        }
    }

    /// The last few messages libasound reported, oldest first: what it would have printed
    /// to stderr. Lets `guidectl test-sound` explain a failure and tests prove the
    /// handler caught them.
    public static var recentMessages: [String] {
        state.withLock { $0.recent }
    }

    private static func receive(_ message: String) {
        let logger = state.withLock { state -> Logger? in
            state.recent.append(message)
            if state.recent.count > recentLimit {
                state.recent.removeFirst(state.recent.count - recentLimit)
            }
            return state.logger
        }
        logger?.debug("libasound message", metadata: ["alsa": "\(message)"])
    }
}
