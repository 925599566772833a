import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import GuideTestSupport
import Logging
import Synchronization
import Testing

/// Issue 7, item 6: the engine's timeline runs on the injected monotonic clock only. The
/// wall clock labels `startedAt` and history and nothing else, so setting the date back or
/// forward by an hour mid-session changes no cue time and no remaining time.
@Suite("Engine clocks")
struct EngineClockTests {
    /// 2 s, then 10 s (countdown at −3, −2, −1), then 1 s: 13 s in all.
    static let session = """
        {"title": "Clocked", "steps": [
          {"name": "A", "duration": 2},
          {"name": "B", "duration": 10},
          {"name": "C", "duration": 1}
        ]}
        """

    /// A wall clock a test can set.
    final class WallClock: Sendable {
        private let date: Mutex<Date>
        init(_ start: Date) { date = Mutex(start) }
        var now: Date { date.withLock { $0 } }
        func jump(by seconds: TimeInterval) { date.withLock { $0 += seconds } }
    }

    struct Rig {
        let clock = ManualClock()
        let wall = WallClock(Date(timeIntervalSince1970: 1_800_000_000))
        let directory: String
        let engine: Engine<ManualClock>

        init() throws {
            directory = NSTemporaryDirectory() + "guide-engine-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(EngineClockTests.session.utf8).write(to: URL(fileURLWithPath: directory + "/clocked.json"))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let wall = self.wall
            engine = Engine(
                clock: clock, directories: [directory], player: nil, audioDevice: "null",
                history: HistoryStore(path: directory + "/history.jsonl", logger: logger), logger: logger,
                wallClock: { wall.now })
        }

        func instant(_ seconds: Int) -> ManualClock.Instant { ManualClock.Instant(.seconds(seconds)) }
    }

    static func next(_ events: inout AsyncStream<[UInt8]>.Iterator) async throws -> Event {
        let line = try #require(await events.next())
        return try WireCoding.decode(Event.self, from: Array(line.dropLast()))
    }

    @Test("events come at the exact instants of the timeline, on the injected clock")
    func exactInstants() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.directory) }
        var events = await rig.engine.subscribe().lines.makeAsyncIterator()
        #expect(await rig.engine.handle(Request(command: .start, session: "clocked")).ok)
        #expect(try await Self.next(&events).event == .started)

        let expected: [(Event.Kind, String, Int, Int?)] = [
            (.step, "B", 2, nil), (.countdown, "B", 9, 3), (.countdown, "B", 10, 2), (.countdown, "B", 11, 1),
            (.step, "C", 12, nil), (.finished, "C", 13, nil),
        ]
        for (kind, step, at, secondsLeft) in expected {
            try await rig.clock.waitForSleepers(1)
            #expect(rig.clock.nextSleeperDeadline == rig.instant(at), "\(kind) \(step)")
            // One nanosecond early: nothing yet.
            rig.clock.advance(to: rig.instant(at).advanced(by: .nanoseconds(-1)))
            #expect(rig.clock.pendingSleepers == 1)
            rig.clock.advance(to: rig.instant(at))
            let event = try await Self.next(&events)
            #expect(event.event == kind)
            #expect(event.status.step?.name == step)
            #expect(event.secondsLeft == secondsLeft)
            #expect(event.status.elapsed == Double(at))
        }
        #expect(await rig.engine.status.state == .finished)
    }

    @Test("setting the wall clock back or forward by an hour changes nothing in a running session")
    func wallClockJumps() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.directory) }
        var events = await rig.engine.subscribe().lines.makeAsyncIterator()
        let startedAt = rig.wall.now.formatted(.iso8601)
        #expect(await rig.engine.handle(Request(command: .start, session: "clocked")).status?.startedAt == startedAt)
        _ = try await Self.next(&events)

        try await rig.clock.waitForSleepers(1)
        rig.clock.advance(to: rig.instant(2))
        #expect(try await Self.next(&events).status.step?.name == "B")
        rig.clock.advance(to: rig.instant(5))

        for jump in [-3600.0, +7200.0] {
            try await rig.clock.waitForSleepers(1)
            let before = await rig.engine.status
            let deadline = rig.clock.nextSleeperDeadline
            rig.wall.jump(by: jump)
            let after = await rig.engine.status
            #expect(after == before, "jump by \(jump) s")
            #expect(after.step?.remaining == 7 && after.remaining == 8)
            #expect(after.startedAt == startedAt)
            #expect(rig.clock.nextSleeperDeadline == deadline)
            #expect(deadline == rig.instant(9), "the first countdown tick stays at 9 s")
        }

        // The rest of the session keeps to the monotonic clock.
        for (at, kind) in [(9, Event.Kind.countdown), (10, .countdown), (11, .countdown), (12, .step), (13, .finished)] {
            try await rig.clock.waitForSleepers(1)
            #expect(rig.clock.nextSleeperDeadline == rig.instant(at))
            rig.clock.advance(to: rig.instant(at))
            #expect(try await Self.next(&events).event == kind)
        }
        let history = try #require(await rig.engine.handle(Request(command: .history)).history)
        #expect(history.count == 1)
        #expect(history.first?.startedAt == startedAt, "the label taken at start, not the jumped clock")
        #expect(history.first?.elapsed == 13)
        #expect(history.first?.outcome == .finished)
    }
}
