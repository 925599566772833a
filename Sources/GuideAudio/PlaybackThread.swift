import GuideCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A dedicated OS thread for blocking work (ALSA writes and drains block for as long as
/// the sound plays): never a task on the cooperative pool or a NIO event loop, whose few
/// threads everything else shares. Joined at most once.
final class PlaybackThread: Sendable {
    private let thread: Mutex<pthread_t?>

    /// Starts `body` on a new thread called `name` (at most 15 bytes show).
    init(name: String, _ body: @escaping () -> Void) {
        // Handed over to the new thread, which alone calls it (as before NamedThread).
        nonisolated(unsafe) let body = body
        do {
            self.thread = Mutex(try NamedThread.start(name, detached: false) { body() }.handle)
        } catch {
            preconditionFailure("cannot start the playback thread: \(error)")
        }
    }

    /// Waits for the thread's body to return. Later calls, and a call from the thread
    /// itself (which would deadlock), return at once; the latter detaches the thread.
    func join() {
        let current = pthread_self()
        guard let thread = thread.withLock({ thread -> pthread_t? in
            defer { thread = nil }
            return thread
        }) else { return }
        if pthread_equal(thread, current) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}
