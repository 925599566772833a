import Foundation
import GuideDaemon
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The ``WallClockWatcher`` on a real NIO event loop.
///
/// The clock half cannot be tested end to end without setting the machine's clock: a
/// time namespace does not cover CLOCK_REALTIME, and `adjtimex(ADJ_SETOFFSET)` by zero
/// does not cancel a timerfd (the kernel cancels only when the real-to-monotonic offset
/// changed). So these tests hand the watcher a pipe in place of the timerfd and make it
/// readable, as the kernel's cancellation makes the timerfd readable; what the watcher does
/// from there (the channel's end, a new descriptor armed before the report, the report on
/// the loop) is the real code. The zone half is real: inotify on a temporary directory.
@Suite("Wall-clock watcher", .timeLimit(.minutes(1)))
struct WallClockWatcherTests {
    /// Pipes handed out as "timerfds"; the test writes to their write ends.
    final class FakeClockWatches: Sendable {
        private let writeEnds = Mutex<[Int32]>([])
        private let failing = Mutex(false)

        var opened: Int { writeEnds.withLock { $0.count } }

        func open() -> Int32 {
            if failing.withLock({ $0 }) { return -EMFILE }
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return -errno }
            writeEnds.withLock { $0.append(fds[1]) }
            return fds[0]
        }

        func failFromNowOn() { failing.withLock { $0 = true } }

        /// Makes the `index`th descriptor readable: the stand-in for "the clock was set".
        func signal(_ index: Int) {
            var bytes: UInt64 = 1
            _ = withUnsafeBytes(of: &bytes) { write(writeEnds.withLock { $0[index] }, $0.baseAddress, 8) }
        }

        deinit { writeEnds.withLock { $0.forEach { close($0) } } }
    }

    struct Report: Sendable, Equatable {
        var change: WallClockChange
        var stillWatching: Bool
        /// How many clock descriptors had been opened when the report was made.
        var opened: Int
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// The next report (the suite's time limit catches a hang).
    static func nextReport(_ reports: inout AsyncStream<Report>.Iterator) async throws -> Report {
        try #require(await reports.next())
    }

    @Test("a readable clock descriptor is reported as a clock set, after a new one was armed")
    func clockSetReported() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fakes = FakeClockWatches()
        let (stream, continuation) = AsyncStream<Report>.makeStream()
        let watcher = WallClockWatcher(loop: group.next(), zoneFile: nil, logger: Self.logger, openClockWatch: { fakes.open() }) {
            change, still in
            continuation.yield(Report(change: change, stillWatching: still, opened: fakes.opened))
        }
        #expect(await watcher.start())
        var reports = stream.makeAsyncIterator()
        fakes.signal(0)
        #expect(try await Self.nextReport(&reports) == Report(change: .clockSet, stillWatching: true, opened: 2))
        fakes.signal(1)  // the new descriptor is watched too
        #expect(try await Self.nextReport(&reports) == Report(change: .clockSet, stillWatching: true, opened: 3))
        fakes.failFromNowOn()
        fakes.signal(2)
        #expect(try await Self.nextReport(&reports) == Report(change: .clockSet, stillWatching: false, opened: 3))
        await watcher.stop()
        continuation.finish()
        #expect(await reports.next() == nil, "nothing after stop")
        try await group.shutdownGracefully()
    }

    @Test("no clock descriptor: start says the clock is not watched")
    func unusableClockWatch() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let watcher = WallClockWatcher(loop: group.next(), zoneFile: nil, logger: Self.logger, openClockWatch: { -ENOSYS }) { _, _ in }
        #expect(await watcher.start() == false)
        await watcher.stop()
        try await group.shutdownGracefully()
    }

    @Test("replacing the zone file is reported as a time zone change; other files in its directory are not")
    func zoneFileReplaced() async throws {
        let directory = NSTemporaryDirectory() + "guide-zone-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zoneFile = directory + "/localtime"
        try Data("TZif-old".utf8).write(to: URL(fileURLWithPath: zoneFile))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fakes = FakeClockWatches()
        let (stream, continuation) = AsyncStream<Report>.makeStream()
        let watcher = WallClockWatcher(loop: group.next(), zoneFile: zoneFile, logger: Self.logger, openClockWatch: { fakes.open() }) {
            change, still in
            continuation.yield(Report(change: change, stillWatching: still, opened: fakes.opened))
        }
        #expect(await watcher.start())
        var reports = stream.makeAsyncIterator()
        // Another file first: had it been reported, its report would come first.
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/hostname"))
        // As timedatectl does: a new file renamed over the old one.
        try Data("TZif-new".utf8).write(to: URL(fileURLWithPath: directory + "/.localtime.new"))
        #expect(rename(directory + "/.localtime.new", zoneFile) == 0)
        #expect(try await Self.nextReport(&reports) == Report(change: .timeZone, stillWatching: true, opened: 1))
        await watcher.stop()
        continuation.finish()
        try await group.shutdownGracefully()
    }
}
