import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

/// A clock that reads the time of a NIO testing loop: the engine's timers are timers of
/// that loop, so a test moves the engine's time exactly with `loop.advanceTime(to:)`, and
/// each timer fires with the clock reading exactly its deadline.
struct LoopTimeClock: Clock, Sendable {
    typealias Duration = Swift.Duration
    typealias Instant = ManualClock.Instant

    let loop: NIOAsyncTestingEventLoop

    var now: Instant { Instant(.nanoseconds(Int64(loop.now.uptimeNanoseconds))) }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// Not used by the engine (it sets timers on its loop); waits on the loop's time.
    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await loop.scheduleTask(deadline: Self.deadline(deadline)) {}.futureResult.get()
    }

    static func deadline(_ instant: Instant) -> NIODeadline {
        .uptimeNanoseconds(UInt64(instant.offset.components.seconds) * 1_000_000_000 + UInt64(instant.offset.components.attoseconds / 1_000_000_000))
    }
}

/// Collects the events an engine publishes to one subscriber.
final class EventRecorder: Sendable {
    private let events = Mutex<[Event]>([])

    var all: [Event] { events.withLock { $0 } }
    var kinds: [Event.Kind] { all.map(\.event) }

    /// Subscribes this recorder: every event line is decoded and kept.
    var requester: Requester {
        Requester(id: ObjectIdentifier(self)) { [self] buffer in
            let line = Array(buffer.readableBytesView.dropLast())  // the newline
            if let event = try? WireCoding.decode(Event.self, from: line) { self.events.withLock { $0.append(event) } }
            return true
        }
    }
}

/// An engine on a NIO testing loop whose time moves only when the test says so, with a
/// session directory of its own.
final class EngineRig: Sendable {
    let loop = NIOAsyncTestingEventLoop()
    let clock: LoopTimeClock
    let directory: String
    let engine: Engine<LoopTimeClock>
    let events = EventRecorder()

    init(sessions: [String: String], wallClock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }) throws {
        directory = NSTemporaryDirectory() + "guide-engine-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in sessions { try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/\(name).json")) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        clock = LoopTimeClock(loop: loop)
        engine = Engine(
            clock: clock, loop: loop, directories: [directory], player: nil, audioDevice: "null",
            history: HistoryStore(path: directory + "/history.jsonl", logger: logger), logger: logger, wallClock: wallClock)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// `seconds` after the loop's zero (where its time starts).
    func instant(_ seconds: Double) -> ManualClock.Instant { ManualClock.Instant(.nanoseconds(Int64(seconds * 1e9))) }

    /// Moves the loop's time to `instant`, running every timer due by then.
    func advance(to instant: ManualClock.Instant) async { await loop.advanceTime(to: LoopTimeClock.deadline(instant)) }

    func subscribe() async { _ = await engine.handle(Request(command: .subscribe), from: events.requester) }

    /// The engine's next deadline, read on its loop.
    var nextDeadline: ManualClock.Instant? {
        get async { await engine.nextDeadline }
    }
}
