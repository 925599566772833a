import GuideProtocol
import ServiceLifecycle

/// Sends `WATCHDOG=1` at half of systemd's `WatchdogSec`, but only after the engine has
/// answered, so that a wedged engine stops the pings and systemd restarts the daemon.
struct WatchdogService<C: Clock & Sendable, Sleeper: Clock & Sendable>: Service
where C.Duration == Duration, Sleeper.Duration == Duration {
    let interval: Duration
    /// Paces the pings; the daemon passes ``EventLoopClock`` (see there why not Task.sleep).
    let clock: Sleeper
    let notifier: SystemdNotifier
    let engine: Engine<C>

    /// Returns (never throws) when the daemon stops: the cancelled sleep of a graceful
    /// shutdown is the normal end of this service, not a failure. (Throwing it made the
    /// ServiceGroup fail, and every `systemctl --user stop` left the unit failed, exit 1.)
    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await engine.status
                notifier.notify("WATCHDOG=1")
                do {
                    try await clock.sleep(for: interval / 2)
                } catch {
                    return
                }
            }
        }
    }
}
