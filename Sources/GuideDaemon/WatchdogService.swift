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

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await engine.status
                notifier.notify("WATCHDOG=1")
                try await clock.sleep(for: interval / 2)
            }
        }
    }
}
