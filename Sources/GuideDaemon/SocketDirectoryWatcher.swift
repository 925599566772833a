import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// Tells when the listening socket's file (or its whole directory) disappears — a
/// `rm -rf $XDG_RUNTIME_DIR/guide`, a tmpfiles cleaner, a logout that wipes the runtime
/// directory — so that the daemon can say so and put the socket back.
///
/// inotify on the socket's directory (`IN_DELETE`/`IN_MOVED_FROM` of the socket's name,
/// `IN_DELETE_SELF`/`IN_MOVE_SELF` of the directory), read by one thread that blocks in
/// `poll(2)` with no timeout: an idle daemon is never woken up by this watcher (a periodic
/// `stat` would cost a wake-up every few seconds for an event that almost never happens).
/// A pipe wakes the thread to stop it.
final class SocketDirectoryWatcher: @unchecked Sendable {
    // `inotify`, `stopPipe` and `thread` are set in `init` and only read afterwards;
    // `watch` is touched by the watcher thread and by `rewatch()`, which the server calls
    // only after this watcher reported (the thread is then back in `poll`, not reading it).
    private let directory: String
    private let name: String
    private let inotify: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private var thread: NamedThread?
    private let onGone: @Sendable () -> Void

    /// Starts watching; `onGone` is called (on the watcher thread) each time the socket
    /// file or its directory is removed or moved away.
    init?(socketPath: String, onGone: @escaping @Sendable () -> Void) {
        let slash = socketPath.lastIndex(of: "/")
        directory = slash.map { String(socketPath[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        name = slash.map { String(socketPath[socketPath.index(after: $0)...]) } ?? socketPath
        self.onGone = onGone
        inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotify >= 0 else { return nil }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            close(inotify)
            return nil
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        stopPipe = (fds[0], fds[1])
        guard rewatch() else {
            close(inotify)
            close(fds[0])
            close(fds[1])
            return nil
        }
        do {
            thread = try NamedThread.start("guide-sockwatch", detached: false) { [self] in loop() }
        } catch {
            close(inotify)
            close(fds[0])
            close(fds[1])
            return nil
        }
    }

    /// (Re)adds the watch on the directory, e.g. after the server re-created it.
    @discardableResult
    func rewatch() -> Bool {
        let mask = UInt32(IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        return inotify_add_watch(inotify, directory, mask) >= 0
    }

    /// Stops the thread and waits for it; later calls do nothing.
    func stop() {
        guard let thread else { return }
        self.thread = nil
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        thread.join()
        close(inotify)
        close(stopPipe.read)
        close(stopPipe.write)
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let headerSize = MemoryLayout<inotify_event>.size
        while true {
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count <= 0 { continue }
            var gone = false
            var offset = 0
            while offset + headerSize <= count {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.mask, Int(event.len))
                }
                if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    gone = true
                } else if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0, length > 0 {
                    let start = offset + headerSize
                    let bytes = buffer[start..<min(count, start + length)].prefix { $0 != 0 }
                    if bytes.elementsEqual(name.utf8) { gone = true }
                }
                offset += headerSize + length
            }
            if gone { onGone() }
        }
    }
}
