import GuideCore
import GuideProtocol
import Synchronization

/// The engine's runner and audio status as of its last change, readable from any thread:
/// what lets the socket server answer `status` on the event loop that read the request,
/// without a hop to the ``Engine`` actor and back.
///
/// The engine publishes here synchronously on every change (before the reply to the
/// command that made it is sent), and ``status`` computes elapsed and remaining time from
/// the runner's own clock at the moment it is read: the very value the engine's `status`
/// would give at that instant.
final class StatusBoard<C: Clock & Sendable>: Sendable where C.Duration == Duration {
    private struct Snapshot: Sendable {
        var runner: Runner<C>
        var audio: Status.AudioStatus
        var reminders: Status.ReminderStatus?
    }

    private let snapshot: Mutex<Snapshot>

    init(runner: Runner<C>, audio: Status.AudioStatus) {
        snapshot = Mutex(Snapshot(runner: runner, audio: audio))
    }

    func publish(_ runner: Runner<C>) {
        // Swap under the lock, release the old copy outside it.
        var old = runner
        snapshot.withLock { swap(&$0.runner, &old) }
    }

    func publish(_ audio: Status.AudioStatus) {
        snapshot.withLock { $0.audio = audio }
    }

    /// The schedule's next reminder and those waiting (Engine+Schedule.swift).
    func publish(_ reminders: Status.ReminderStatus?) {
        snapshot.withLock { $0.reminders = reminders }
    }

    /// What `Engine.status` answers now.
    var status: Status {
        let (runner, audio, reminders) = snapshot.withLock { ($0.runner, $0.audio, $0.reminders) }
        var status = runner.status
        status.audio = audio
        status.reminders = reminders
        return status
    }
}
