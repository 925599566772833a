import GuideCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A dedicated OS thread for blocking work (ALSA writes block for as long as the sound
/// plays, and opening a `file:` device that names a FIFO blocks until someone reads it):
/// never a task on the cooperative pool or a NIO event loop, whose few threads everything
/// else shares. Joined at most once, and never waited for without bound.
final class PlaybackThread: Sendable {
    private let thread: Mutex<pthread_t?>
    /// Whether the body has returned, guarded by its condition's lock.
    private final class Completion: @unchecked Sendable {
        let condition = MonotonicCondition()
        var done = false
    }
    private let completion = Completion()

    /// Starts `body` on a new thread called `name` (at most 15 bytes show).
    init(name: String, _ body: @escaping () -> Void) {
        // Handed over to the new thread, which alone calls it; it marks its completion so
        // that a join can give up waiting (join(until:)).
        nonisolated(unsafe) let body = body
        let completion = self.completion
        do {
            self.thread = Mutex(
                try NamedThread.start(name, detached: false) {
                    body()
                    completion.condition.withLock { completion.done = true }
                    completion.condition.broadcast()
                }.handle)
        } catch {
            preconditionFailure("cannot start the playback thread: \(error)")
        }
    }

    /// Waits for the thread's body to return, however long it takes.
    func join() {
        join(until: .now + .seconds(1_000_000_000))
    }

    /// Waits for the thread's body to return, at most until `deadline`. Returns false if it
    /// had not returned by then: the thread is detached and left to the process's exit (it
    /// is stuck in a call no one can interrupt, such as opening a FIFO nobody reads).
    /// Later calls, and a call from the thread itself (which would deadlock), return at
    /// once; the latter detaches the thread.
    @discardableResult
    func join(until deadline: SuspendingClock.Instant) -> Bool {
        let current = pthread_self()
        guard let thread = thread.withLock({ thread -> pthread_t? in
            defer { thread = nil }
            return thread
        }) else { return true }
        if pthread_equal(thread, current) != 0 {
            pthread_detach(thread)
            return true
        }
        let returned = completion.condition.withLock { () -> Bool in
            while !completion.done {
                if SuspendingClock.now >= deadline { return false }
                completion.condition.wait(until: deadline)
            }
            return true
        }
        if returned {
            pthread_join(thread, nil)
        } else {
            pthread_detach(thread)
        }
        return returned
    }
}
