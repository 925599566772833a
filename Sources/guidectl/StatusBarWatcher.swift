import ArgumentParser
import GuideCore
import GuideCLI
import GuideProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `watch --waybar`: a status-bar module that never exits. Prints one line of waybar JSON
/// (``WaybarFormatter``) at once, on every event, and while a session runs each time the
/// step's `m:ss` changes (at least once a second), projecting the time left locally
/// between events as `watch` does. It follows one session after another; when no daemon
/// answers (or it goes away) it prints the idle line, with the reason in the tooltip, and
/// tries again every ``retryInterval`` without starting one. It ends only when its stdout
/// is closed (the bar exited) or on a signal.
struct StatusBarWatcher {
    let global: GlobalOptions
    let template: StatusTemplate?

    static let retryInterval = Duration.seconds(2)

    func run() throws(ExitCode) {
        var lastLine = ""
        /// Prints `line` unless it repeats the last one; exits when nobody reads stdout.
        func emit(_ line: String, force: Bool = false) throws(ExitCode) {
            guard force || line != lastLine else { return }
            lastLine = line
            if !Console.write(line) { throw ExitCode.success }
        }
        while true {
            guard let client = DaemonClient.connectIfRunning(global) else {
                try emit(WaybarFormatter.line(.idle, template: template, note: "guide: no daemon running on \(global.socketPath)"))
                MonotonicSleep.sleep(Self.retryInterval)
                continue
            }
            do {
                try follow(client, emit: emit)
            } catch let error as ClientError {
                try emit(WaybarFormatter.line(.idle, template: template, note: "guide: " + DaemonClient.describe(error, hint: nil)))
                MonotonicSleep.sleep(Self.retryInterval)
            } catch let refusal as Refusal {
                try emit(WaybarFormatter.line(.idle, template: template, note: "guide: " + refusal.message))
                MonotonicSleep.sleep(Self.retryInterval)
            } catch let exit as ExitCode {
                throw exit
            } catch {
                MonotonicSleep.sleep(Self.retryInterval)
            }
        }
    }

    /// Follows the daemon on one connection until it goes away (throws ``ClientError``).
    private func follow(_ client: DaemonClient, emit: (String, Bool) throws(ExitCode) -> Void) throws {
        let reply: Response
        do {
            reply = try client.connection.send(Request(command: .subscribe))
        } catch .closed(let path) {
            // A refusal (too many connections) may come and close the connection before the
            // request is written: its line is still there to read.
            if let line = try? client.connection.readLine(deadline: .now + .milliseconds(500)),
                let refusal = try? WireCoding.decode(Response.self, from: line), let error = refusal.error
            {
                throw Refusal(message: error.message)
            }
            throw ClientError.closed(path: path)
        }
        if let error = reply.error { throw Refusal(message: error.message) }  // e.g. too many connections
        guard let initial = reply.status else { throw ClientError.badReply("subscribe answered without a status") }
        var status = initial
        var received = SuspendingClock.now
        try emit(WaybarFormatter.line(status, template: template), true)
        while true {
            let now = status.projected(after: (SuspendingClock.now - received).seconds)
            if let event = try client.connection.nextEvent(timeout: wait(for: now)) {
                status = event.status
                received = SuspendingClock.now
                try emit(WaybarFormatter.line(status, template: template), false)
            } else if status.state == .running {
                // Once a second while running, even if the text shows no change (the
                // tooltip's total and the percentage move too).
                try emit(WaybarFormatter.line(status.projected(after: (SuspendingClock.now - received).seconds), template: template), true)
            }
        }
    }

    /// The daemon turned the subscription down; its message goes in the idle line's tooltip.
    private struct Refusal: Error {
        var message: String
    }

    /// Until the displayed seconds of the step change (just after the next whole second of
    /// time left), about a second at most; an hour when nothing moves (not running).
    private func wait(for status: Status) -> Duration {
        guard status.state == .running else { return .seconds(3600) }
        let left = status.step?.remaining ?? status.remaining
        let fraction = left - left.rounded(.down)
        // At the step's end the daemon's event is due: give it a moment to arrive rather
        // than drawing a 0:00 that the event replaces a few ms later.
        let seconds = left < 1 ? left + 0.15 : fraction > 0.001 ? fraction + 0.005 : 1
        return .milliseconds(Int64(min(1.15, seconds) * 1000))
    }
}
