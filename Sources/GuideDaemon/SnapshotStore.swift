import GuideCore
import Logging
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// The running session's position, kept on disk so that a daemon that dies (kill -9,
/// a crash, a watchdog restart, a power cut) can put it back, paused, on its next start,
/// at the point it had reached when it died (see ``Saved/restorePosition``).
///
/// Written at every state change (start, pause, resume, skip, back), and, only while a
/// session runs, a last-alive mark about once a second: the time the daemon was dead
/// must not count as session time, and the mark is how the next daemon knows when it
/// died. Paused or idle, nothing is written and no timer is set. Every write is atomic
/// (temp file, then rename), so a crash mid-write leaves the old snapshot; the writes at
/// state changes are also fsync'd, off the engine's path.
public final class SnapshotStore: Sendable {
    /// What is saved (the file format is ``SnapshotCodec``'s).
    public struct Saved: Sendable, Equatable {
        public var session: String
        /// Position in the session at the moment of saving, paused time excluded.
        public var elapsedMilliseconds: Int64
        public var startedAt: String?
        /// Whether it was running (the restore is paused all the same: the person may be gone).
        public var running: Bool
        /// CLOCK_MONOTONIC (ns) at the save.
        public var savedAtMonotonicNanoseconds: Int64?
        /// CLOCK_MONOTONIC (ns) of the last sign of life: the save, then each mark while running.
        public var aliveAtMonotonicNanoseconds: Int64?
        /// `/proc/sys/kernel/random/boot_id` of the boot the clocks above belong to.
        public var bootID: String?
        /// The session as it was started (nil in snapshots from before version 2).
        public var definition: Session?

        public init(
            session: String, elapsedMilliseconds: Int64, startedAt: String?, running: Bool,
            savedAtMonotonicNanoseconds: Int64?, aliveAtMonotonicNanoseconds: Int64? = nil, bootID: String? = nil,
            definition: Session? = nil
        ) {
            self.session = session
            self.elapsedMilliseconds = elapsedMilliseconds
            self.startedAt = startedAt
            self.running = running
            self.savedAtMonotonicNanoseconds = savedAtMonotonicNanoseconds
            self.aliveAtMonotonicNanoseconds = aliveAtMonotonicNanoseconds
            self.bootID = bootID
            self.definition = definition
        }

        /// Where the session had got to when its daemon was last seen alive: the saved
        /// position, plus, if it was running, the time from the save to the last mark
        /// (both read on the same boot's monotonic clock, so a reboot since changes
        /// nothing). Never the time since: that was time the daemon was dead. A snapshot
        /// without a mark (version 1) restores at the saved position.
        public var restorePosition: Duration {
            let saved = Duration.milliseconds(elapsedMilliseconds)
            guard running, let at = savedAtMonotonicNanoseconds, let alive = aliveAtMonotonicNanoseconds, alive > at else {
                return saved
            }
            return saved + .nanoseconds(alive - at)
        }
    }

    public let path: String
    /// How often the last-alive mark is written while a session runs.
    public let markInterval: Duration
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private let monotonicNanoseconds: @Sendable () -> Int64
    private let bootID: String?
    /// The record the marks rewrite, and which save it belongs to. Every write holds this
    /// lock, so a mark never lands after the save or removal that replaced it.
    private let marks = NIOLockedValueBox(Marks())

    private struct Marks {
        var generation = 0
        var record: Saved?
        var task: Task<Void, Never>?
        /// When the next mark is due (CLOCK_MONOTONIC ns), to tell a stall from a tick.
        var due: Int64 = 0
    }

    /// A mark this much later than due means the daemon did not run in between (stopped
    /// with SIGSTOP, frozen, about to be killed by the watchdog): it proves no life.
    static let stallThreshold: Int64 = 500_000_000
    /// How much further than the interval one mark may move, so that the lag a stall
    /// leaves is made up a quarter second per mark rather than all at once.
    static let catchUpPerMark: Int64 = 250_000_000

    /// - Parameters:
    ///   - sleep: waits between marks; the daemon passes its ``EventLoopClock`` (see there
    ///     why not `Task.sleep`); must throw when its task is cancelled.
    ///   - monotonicNanoseconds: CLOCK_MONOTONIC, injectable for tests.
    ///   - bootID: this boot's id, injectable for tests.
    public init(
        path: String, logger: Logger, markInterval: Duration = .seconds(1),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        monotonicNanoseconds: @escaping @Sendable () -> Int64 = SnapshotStore.monotonicNow,
        bootID: String? = SnapshotStore.currentBootID()
    ) {
        self.path = path
        self.logger = logger
        self.markInterval = markInterval
        self.sleep = sleep
        self.monotonicNanoseconds = monotonicNanoseconds
        self.bootID = bootID
    }

    deinit {
        marks.withLockedValue { $0.task?.cancel() }
    }

    public func save<C>(runner: Runner<C>) {
        guard let session = runner.session, runner.state == .running || runner.state == .paused else {
            remove()
            return
        }
        let now = monotonicNanoseconds()
        let saved = Saved(
            session: session.name, elapsedMilliseconds: runner.elapsed.milliseconds, startedAt: runner.startedAt,
            running: runner.state == .running, savedAtMonotonicNanoseconds: now, aliveAtMonotonicNanoseconds: now,
            bootID: bootID, definition: session)
        let written = marks.withLockedValue { marks -> Bool in
            marks.generation += 1
            marks.task?.cancel()
            marks.task = nil
            marks.record = nil
            guard writeFile(saved) else { return false }
            if saved.running {
                marks.record = saved
                marks.due = now + markInterval.nanoseconds
                marks.task = markTask(generation: marks.generation)
            }
            return true
        }
        if written { syncInBackground() }
    }

    /// The snapshot a previous daemon left, if any (an unreadable one is logged and removed).
    public func load() -> Saved? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= Session.maximumFileSize * 2 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        do {
            var saved = try SnapshotCodec.decode(bytes)
            // On this boot a mark cannot lie in the future; if it does, the file is not
            // ours to trust beyond its saved position.
            if saved.bootID == bootID, let alive = saved.aliveAtMonotonicNanoseconds, alive > monotonicNanoseconds() {
                saved.aliveAtMonotonicNanoseconds = nil
            }
            return saved
        } catch {
            logger.warning("ignoring unreadable session snapshot", metadata: ["file": "\(path)", "reason": "\(error)"])
            remove()
            return nil
        }
    }

    public func remove() {
        marks.withLockedValue { marks in
            marks.generation += 1
            marks.task?.cancel()
            marks.task = nil
            marks.record = nil
            unlink(path)
        }
    }

    // MARK: - Writing

    /// A task that rewrites the record with a fresh last-alive mark every ``markInterval``
    /// until the next save or removal cancels it.
    private func markTask(generation: Int) -> Task<Void, Never> {
        Task { [weak self, sleep, markInterval] in
            while true {
                do {
                    try await sleep(markInterval)
                } catch {
                    return
                }
                guard let self, self.mark(generation: generation) else { return }
            }
        }
    }

    /// Writes the current record with a fresh mark; false once the record is out of date.
    ///
    /// A mark moves by the time since the last one only when it comes on time. One that
    /// comes late after a stall (a frozen daemon woken just before the watchdog's signal
    /// lands, which the Swift runtime's crash handler lets happen) moves nothing: the
    /// stall is not time the daemon was seen alive, and a restore must come back to
    /// where it froze. The marks after it catch up bit by bit (``catchUpPerMark``).
    private func mark(generation: Int) -> Bool {
        marks.withLockedValue { marks -> Bool in
            guard marks.generation == generation, var record = marks.record else { return false }
            let now = monotonicNanoseconds()
            let interval = markInterval.nanoseconds
            let late = now - marks.due
            marks.due = now + interval
            guard late <= SnapshotStore.stallThreshold else { return true }
            let last = record.aliveAtMonotonicNanoseconds ?? now
            record.aliveAtMonotonicNanoseconds = last + max(0, min(now - last, interval + SnapshotStore.catchUpPerMark))
            marks.record = record
            _ = writeFile(record)
            return true
        }
    }

    /// Writes `saved` atomically (temp file, rename); logs and returns false on failure.
    private func writeFile(_ saved: Saved) -> Bool {
        let data = SnapshotCodec.encode(saved)
        let directory = SnapshotStore.directory(of: path)
        mkdir(directory, 0o700)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            logger.warning("cannot save session snapshot", metadata: ["file": "\(temporary)", "error": "\(SystemError.current())"])
            return false
        }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            logger.warning("cannot save session snapshot", metadata: ["file": "\(path)", "error": "\(SystemError.current())"])
            unlink(temporary)
            return false
        }
        return true
    }

    /// The rename alone already survives the daemon dying (the data is in the page cache);
    /// the fsyncs that make a state change survive a power cut take tens of milliseconds on
    /// a busy disk, so they run off the engine, which every client waits on. (The marks
    /// are not fsync'd: after a power cut the last fsync'd save is a fine place to resume.)
    /// A thread of its own, not a Dispatch queue: the first global-queue worker would
    /// start libdispatch's once-a-second monitor and wake an idle daemon for good.
    private func syncInBackground() {
        let path = self.path
        let directory = SnapshotStore.directory(of: path)
        // If no thread can start, the save still stands; it is just not fsync'd yet.
        try? NamedThread.start("guide-fsync") {
            for (target, flags) in [(path, O_RDONLY), (directory, O_RDONLY | O_DIRECTORY)] {
                let fd = open(target, flags | O_CLOEXEC)
                if fd >= 0 {
                    fsync(fd)
                    close(fd)
                }
            }
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: - Clocks

    public static func monotonicNow() -> Int64 {
        MonotonicTime.nanoseconds()
    }

    /// This boot's id (`/proc/sys/kernel/random/boot_id`), nil where there is none.
    public static func currentBootID() -> String? {
        let fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let id = String(decoding: buffer[0..<count].prefix { $0 != 0x0A }, as: UTF8.self)
        return id.isEmpty ? nil : id
    }
}

