#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// guide's one way to start a thread: a plain OS thread, named (see ``ThreadName``), for
/// blocking work that must not sit on NIO's event loop or Swift's cooperative pool (ALSA
/// writes, `waitpid`, `fsync`, inotify's `poll`). Not `Thread.detachNewThread`, which needs
/// all of Foundation, and not a Dispatch queue, whose first global worker starts
/// libdispatch's once-a-second monitor and wakes an idle daemon for good.
public struct NamedThread: Sendable {
    /// The pthread, for ``join()``; nil for a detached thread.
    public let handle: pthread_t?

    /// Starts `body` on a new thread called `name` (at most 15 bytes show). A detached
    /// thread frees itself when `body` returns; a joinable one must be joined once.
    /// Throws if the system cannot start a thread (e.g. EAGAIN at the task limit).
    @discardableResult
    public static func start(_ name: String, detached: Bool = true, _ body: @escaping @Sendable () -> Void) throws(SystemError) -> NamedThread {
        final class Start {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) {
                self.name = name
                self.body = body
            }
        }
        let context = Unmanaged.passRetained(Start(name: name, body: body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            ThreadName.setCurrent(start.name)
            start.body()
            return nil
        }, context.toOpaque())
        guard result == 0 else {
            context.release()
            throw SystemError(errno: result)
        }
        if detached {
            pthread_detach(thread)
            return NamedThread(handle: nil)
        }
        return NamedThread(handle: thread)
    }

    /// Waits for a joinable thread's body to return. Call once, and not from the thread itself.
    public func join() {
        guard let handle else { return }
        pthread_join(handle, nil)
    }
}
