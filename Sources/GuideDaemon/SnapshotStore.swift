import Dispatch
import Foundation
import GuideCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The running session's position, kept on disk so that a daemon that dies (kill -9,
/// a crash, a power cut) can put it back, paused, on its next start.
///
/// Written only at state changes (start, pause, resume, skip, back), never per tick:
/// the position is derived from the clock, so a snapshot taken at a state change plus
/// "it was running since then" is all that is needed. The write is atomic (temp file,
/// rename, then fsync of file and directory off the engine's path), so a crash mid-write
/// leaves the old snapshot.
public final class SnapshotStore: Sendable {
    /// What is saved.
    public struct Saved: Codable, Sendable, Equatable {
        public var session: String
        /// Position in the session at the moment of saving, paused time excluded.
        public var elapsedMilliseconds: Int64
        public var startedAt: String?
        /// Whether it was running (then the restore is still paused: the person may be gone).
        public var running: Bool
        /// Monotonic time (CLOCK_MONOTONIC, ns) of the save, so a restore can add the time it
        /// kept running before the daemon died.
        public var savedAtMonotonicNanoseconds: Int64?
    }

    public let path: String
    private let logger: Logger

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    public func save<C>(runner: Runner<C>) {
        guard let session = runner.session, runner.state == .running || runner.state == .paused else {
            remove()
            return
        }
        let saved = Saved(
            session: session.name, elapsedMilliseconds: runner.elapsed.milliseconds, startedAt: runner.startedAt,
            running: runner.state == .running, savedAtMonotonicNanoseconds: SnapshotStore.monotonicNow())
        guard let data = try? JSONEncoder().encode(saved) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            logger.warning("cannot save session snapshot", metadata: ["file": "\(temporary)", "error": "\(String(cString: strerror(errno)))"])
            return
        }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            logger.warning("cannot save session snapshot", metadata: ["file": "\(path)", "error": "\(String(cString: strerror(errno)))"])
            unlink(temporary)
            return
        }
        // The rename alone already survives the daemon dying (the data is in the page
        // cache); the fsyncs that make it survive a power cut take tens of milliseconds on
        // a busy disk, so they run off the engine, which every client waits on.
        // A thread of its own, not a Dispatch queue: the first global-queue worker would
        // start libdispatch's once-a-second monitor and wake an idle daemon for good.
        let path = self.path
        Thread.detachNewThread {
            ThreadName.setCurrent("guide-fsync")
            for (target, flags) in [(path, O_RDONLY), (directory, O_RDONLY | O_DIRECTORY)] {
                let fd = open(target, flags | O_CLOEXEC)
                if fd >= 0 {
                    fsync(fd)
                    close(fd)
                }
            }
        }
    }

    /// The saved position, with the time it kept running after the save added (CLOCK_MONOTONIC
    /// does not survive a reboot; a position from before one is restored as saved).
    public func load() -> Saved? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard var saved = try? JSONDecoder().decode(Saved.self, from: data) else {
            logger.warning("ignoring unreadable session snapshot", metadata: ["file": "\(path)"])
            remove()
            return nil
        }
        if saved.running, let then = saved.savedAtMonotonicNanoseconds {
            let now = SnapshotStore.monotonicNow()
            if now > then { saved.elapsedMilliseconds += (now - then) / 1_000_000 }
        }
        return saved
    }

    public func remove() {
        unlink(path)
    }

    static func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
