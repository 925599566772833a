import ArgumentParser
import GuideCore
import GuideCLI
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Set by the signal handler of ``Watcher``; read between two waits for an event.
nonisolated(unsafe) private var interruptSignal: sig_atomic_t = 0

/// `watch` and `start --watch`: subscribes and follows the session until it ends.
///
/// In a terminal one line is redrawn every 250 ms. Between events the time left is
/// projected locally from the last status and a monotonic clock (the daemon is not polled);
/// every event brings a fresh status. Elsewhere each event becomes one line (or its JSON).
struct Watcher {
    let client: DaemonClient
    let json: Bool
    /// Whether to wait for a session when none is running (plain `watch`) rather than
    /// returning at once (`start --watch`, whose session may already be over).
    let waitForSession: Bool

    static let redrawInterval = Duration.milliseconds(250)

    func run() throws(ExitCode) {
        let initial = try client.status(of: try client.request(Request(command: .subscribe)))
        let live = !json && Console.stdoutIsTerminal
        let ended = initial.state == .idle || initial.state == .finished
        if !waitForSession, ended {
            if json {
                Console.write(String(decoding: WireCoding.encodeLine(Event(initial.state == .idle ? .stopped : .finished, status: initial)), as: UTF8.self))
            } else {
                Console.line(StatusFormatter.summary(initial, style: Console.style))
            }
            return
        }
        if json {
            // Every form starts with the current state: here a first line in the events'
            // shape, `{"event":"status","status":{…}}`, before the first event.
            Console.write(Self.statusLine(initial))
        }
        if live {
            try follow(from: initial, terminal: LiveLine())
        } else {
            if !json {
                let time = Console.clockTime()
                for line in StatusFormatter.human(initial).split(separator: "\n") { Console.line("\(time) \(line)") }
            }
            try follow(from: initial, terminal: nil)
        }
    }

    private func follow(from initial: Status, terminal: LiveLine?) throws(ExitCode) {
        var status = initial
        var received = SuspendingClock.now
        terminal?.draw(status)
        while true {
            if interruptSignal != 0 {
                let now = status.projected(after: (SuspendingClock.now - received).seconds)
                terminal?.finish(now, line: nil)
                if let session = now.session, now.state == .running || now.state == .paused {
                    // Ctrl-C ends the watching, not the session: say so.
                    Console.line("\(session) keeps running; guidectl stop ends it")
                }
                throw ExitCode.interrupted
            }
            let event: Event?
            do {
                event = try client.connection.nextEvent(timeout: terminal == nil ? .seconds(3600) : Self.redrawInterval)
            } catch {
                terminal?.finish(status, line: nil)
                throw Console.fail(DaemonClient.describe(error, hint: nil), .unavailable)
            }
            if let event {
                let session = status.session ?? "the session"
                status = event.status
                received = SuspendingClock.now
                if terminal == nil {
                    Console.write(
                        json
                            ? String(decoding: WireCoding.encodeLine(event), as: UTF8.self)
                            : StatusFormatter.eventLine(event, time: Console.clockTime()) + "\n")
                }
                if event.event == .finished || event.event == .stopped {
                    // After `stopped` the status is idle: name the session from the one before.
                    let style = Console.style
                    let last =
                        event.event == .finished
                        ? "\(style.glyph(.finished)) \(event.status.session ?? session) finished"
                        : "\(style.stoppedGlyph) stopped \(session)" + (event.message.map { " (\($0))" } ?? "")
                    terminal?.finish(status, line: last)
                    return
                }
            }
            terminal?.draw(status.projected(after: (SuspendingClock.now - received).seconds))
        }
    }

    /// `{"event":"status","status":{…}}` and a newline: the current state in the shape of
    /// an event line, first line of `watch --json`.
    static func statusLine(_ status: Status) -> String {
        "{\"event\":\"status\",\"status\":" + String(decoding: WireCoding.encodeLine(status).dropLast(), as: UTF8.self) + "}\n"
    }

    /// The redrawn terminal line: cursor hidden while it runs, restored on every way out,
    /// including Ctrl-C, SIGTERM and SIGHUP (which only set a flag here). The terminal's
    /// echo of control characters is off meanwhile, so that Ctrl-C leaves no stray `^C`
    /// in the line (restored at the end).
    private final class LiveLine {
        let style = Console.style
        private var savedTerminal: termios?

        init() {
            var unblock = sigset_t()
            sigemptyset(&unblock)
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                _ = Glibc.signal(signal) { _ in interruptSignal = 1 }
                sigaddset(&unblock, signal)
            }
            // A parent may have left them blocked (the mask is inherited across exec).
            sigprocmask(SIG_UNBLOCK, &unblock, nil)
            var settings = termios()
            if tcgetattr(STDIN_FILENO, &settings) == 0 {
                savedTerminal = settings
                settings.c_lflag &= ~tcflag_t(ECHOCTL)
                tcsetattr(STDIN_FILENO, TCSANOW, &settings)
            }
            Console.write("\u{1B}[?25l")
        }

        func draw(_ status: Status) {
            Console.write("\r\u{1B}[K" + StatusFormatter.liveLine(status, columns: Console.columns, style: style))
        }

        /// Clears the line, shows the cursor and prints `line` (or the last status) for good.
        func finish(_ status: Status, line: String?) {
            let text = line ?? StatusFormatter.summary(status, style: style)
            Console.write("\r\u{1B}[K" + text + "\n\u{1B}[?25h")
            if var saved = savedTerminal {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                savedTerminal = nil
            }
        }
    }
}
