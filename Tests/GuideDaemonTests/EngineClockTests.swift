import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import Synchronization
import Testing

/// Issue 7, item 6: the engine's timeline runs on the injected monotonic clock only. The
/// wall clock labels `startedAt` and history and nothing else, so setting the date back or
/// forward by an hour mid-session changes no cue time and no remaining time.
///
/// The engine runs on NIO's testing loop: its timers are that loop's timers, so each event
/// is checked at the exact instant of the timeline, and not a nanosecond before.
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

    @Test("events come at the exact instants of the timeline, on the loop's timers")
    func exactInstants() async throws {
        let rig = try EngineRig(sessions: ["clocked": Self.session])
        await rig.subscribe()
        #expect(await rig.engine.handle(Request(command: .start, session: "clocked")).ok)
        #expect(rig.events.kinds == [.started])

        let expected: [(Event.Kind, String, Double, Int?)] = [
            (.step, "B", 2, nil), (.countdown, "B", 9, 3), (.countdown, "B", 10, 2), (.countdown, "B", 11, 1),
            (.step, "C", 12, nil), (.finished, "C", 13, nil),
        ]
        for (index, (kind, step, at, secondsLeft)) in expected.enumerated() {
            #expect(await rig.nextDeadline == rig.instant(at), "\(kind) \(step)")
            // One nanosecond early: nothing yet.
            await rig.advance(to: rig.instant(at).advanced(by: .nanoseconds(-1)))
            #expect(rig.events.all.count == index + 1, "nothing before \(at) s")
            await rig.advance(to: rig.instant(at))
            let event = try #require(rig.events.all.last)
            #expect(rig.events.all.count == index + 2)
            #expect(event.event == kind)
            #expect(event.status.step?.name == step)
            #expect(event.secondsLeft == secondsLeft)
            #expect(event.status.elapsed == at)
        }
        #expect(await rig.engine.status.state == .finished)
        #expect(await rig.nextDeadline == nil, "no timer once finished")
    }

    @Test("setting the wall clock back or forward by an hour changes nothing in a running session")
    func wallClockJumps() async throws {
        let wall = WallClock(Date(timeIntervalSince1970: 1_800_000_000))
        let rig = try EngineRig(sessions: ["clocked": Self.session], wallClock: { wall.now })
        await rig.subscribe()
        let startedAt = wall.now.formatted(.iso8601)
        #expect(await rig.engine.handle(Request(command: .start, session: "clocked")).status?.startedAt == startedAt)

        await rig.advance(to: rig.instant(2))
        #expect(rig.events.all.last?.status.step?.name == "B")
        await rig.advance(to: rig.instant(5))

        for jump in [-3600.0, +7200.0] {
            let before = await rig.engine.status
            let deadline = await rig.nextDeadline
            wall.jump(by: jump)
            let after = await rig.engine.status
            #expect(after == before, "jump by \(jump) s")
            #expect(after.step?.remaining == 7 && after.remaining == 8)
            #expect(after.startedAt == startedAt)
            #expect(await rig.nextDeadline == deadline)
            #expect(deadline == rig.instant(9), "the first countdown tick stays at 9 s")
        }

        // The rest of the session keeps to the monotonic clock.
        for (at, kind) in [(9.0, Event.Kind.countdown), (10, .countdown), (11, .countdown), (12, .step), (13, .finished)] {
            #expect(await rig.nextDeadline == rig.instant(at))
            await rig.advance(to: rig.instant(at))
            #expect(rig.events.all.last?.event == kind)
        }
        let history = try #require(await rig.engine.handle(Request(command: .history)).history)
        #expect(history.count == 1)
        #expect(history.first?.startedAt == startedAt, "the label taken at start, not the jumped clock")
        #expect(history.first?.elapsed == 13)
        #expect(history.first?.outcome == .finished)
    }

    @Test("pause freezes the timeline: no timer while paused, and the rest shifts by the pause")
    func pauseMovesDeadlines() async throws {
        let rig = try EngineRig(sessions: ["clocked": Self.session])
        await rig.subscribe()
        _ = await rig.engine.handle(Request(command: .start, session: "clocked"))
        await rig.advance(to: rig.instant(1.5))
        #expect(await rig.engine.handle(Request(command: .pause)).status?.state == .paused)
        #expect(await rig.nextDeadline == nil, "a paused session sets no timer")
        await rig.advance(to: rig.instant(100))
        #expect(rig.events.kinds == [.started, .paused])
        #expect(await rig.engine.status.elapsed == 1.5)
        _ = await rig.engine.handle(Request(command: .resume))
        #expect(await rig.nextDeadline == rig.instant(100.5), "step B is due 0.5 s after the resume")
        await rig.advance(to: rig.instant(100.5))
        #expect(rig.events.kinds == [.started, .paused, .resumed, .step])
    }
}
