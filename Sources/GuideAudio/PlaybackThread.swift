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
        final class Box {
            let name: String
            let body: () -> Void
            init(name: String, body: @escaping () -> Void) {
                self.name = name
                self.body = body
            }
        }
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            ThreadName.setCurrent(box.name)
            box.body()
            return nil
        }, box)
        precondition(result == 0, "cannot start the playback thread: error \(result)")
        self.thread = Mutex(thread)
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
