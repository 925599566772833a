import Foundation
import GuideCore
import GuideDaemon
import GuideProtocol
import Synchronization
import Testing

/// Issue 16, item 5: when the wall clock is set, the system resumes or the time zone
/// changes, the engine re-plans its reminders at once — not at the reminder timer's next
/// look. The engine runs on NIO's testing loop with an injected wall clock and zone; the
/// ``WallClockWatcher``'s report is the direct call it makes on the loop.
@Suite("Engine wall-clock changes")
struct EngineWallClockTests {
    /// 2026-05-04 (a Monday) 09:00:30 UTC.
    static let start = 1_777_885_230.0

    static let schedule = """
        {"reminders": [
          {"name": "water", "say": "Drink", "every": "20m", "between": "09:00-21:00"},
          {"name": "evening", "say": "Stretch", "at": ["18:30"]}
        ]}
        """

    /// A wall clock and a zone offset a test can set.
    final class Wall: Sendable {
        private let time = Mutex(start)
        private let zone = Mutex(0)
        var now: Date { Date(timeIntervalSince1970: time.withLock { $0 }) }
        func set(_ unix: Double) { time.withLock { $0 = unix } }
        func setZone(secondsEast: Int) { zone.withLock { $0 = secondsEast } }
        var offset: UTCOffset { UTCOffset { _ in self.zone.withLock { $0 } } }
    }

    func rig(_ wall: Wall, watched: Bool) async throws -> EngineRig {
        let rig = try EngineRig(sessions: [:], wallClock: { wall.now })
        let path = rig.directory + "/schedule.json"
        try Data(Self.schedule.utf8).write(to: URL(fileURLWithPath: path))
        await rig.engine.loadSchedule(path: path, offset: wall.offset)
        await rig.engine.watchWallClock(watched)
        await rig.subscribe()
        return rig
    }

    func next(_ rig: EngineRig, _ name: String) async -> String? {
        await rig.engine.handle(Request(command: .schedule)).schedule?.reminders.first { $0.name == name }?.at
    }

    @Test("a clock set forward sounds the reminder it passed at once, without waiting for the timer")
    func clockSetForward() async throws {
        let wall = Wall()
        let rig = try await rig(wall, watched: true)
        #expect(await next(rig, "water") == "2026-05-04T09:20:00Z")
        wall.set(Self.start + 2 * 3600)  // 11:00:30; the loop's (monotonic) time has not moved
        #expect(rig.events.kinds.isEmpty)
        await rig.engine.wallClockChanged(.clockSet, stillWatching: true)
        let fired = try #require(rig.events.all.last?.reminder)
        #expect(rig.events.kinds == [.reminder])
        #expect(fired.name == "water" && fired.kind == "late")
        #expect(await next(rig, "water") == "2026-05-04T11:20:00Z")
    }

    @Test("a clock set back recomputes the next times from the new reading at once")
    func clockSetBack() async throws {
        let wall = Wall()
        wall.set(Self.start + 3 * 3600)  // 12:00:30
        let rig = try await rig(wall, watched: true)
        #expect(await next(rig, "water") == "2026-05-04T12:20:00Z")
        wall.set(Self.start + 1800)  // 09:30:30
        await rig.engine.wallClockChanged(.clockSet, stillWatching: true)
        #expect(rig.events.kinds.isEmpty, "nothing sounds for a clock set back")
        #expect(await next(rig, "water") == "2026-05-04T09:40:00Z")
    }

    @Test("a time zone change moves an 'at' reminder to the new zone's local time")
    func timeZoneChange() async throws {
        let wall = Wall()
        wall.set(Self.start + 8 * 3600)  // 17:00:30 UTC
        let rig = try await rig(wall, watched: true)
        #expect(await next(rig, "evening") == "2026-05-04T18:30:00Z")
        wall.setZone(secondsEast: -3 * 3600)  // the same instant is 14:00:30 local
        await rig.engine.wallClockChanged(.timeZone, stillWatching: true)
        #expect(await next(rig, "evening") == "2026-05-04T21:30:00Z", "18:30 at UTC−3")
        #expect(rig.events.kinds.isEmpty)
    }

    @Test("with the watcher the reminder timer sleeps until the reminder; without it, it looks again after 10 minutes")
    func recheckOnlyWithoutWatcher() async throws {
        for watched in [true, false] {
            let wall = Wall()
            let rig = try await rig(wall, watched: watched)
            // The clock is set without a report (as when no watcher runs): only a look finds it.
            wall.set(Self.start + 2 * 3600)
            await rig.advance(to: rig.instant(601))
            #expect(rig.events.kinds == (watched ? [] : [.reminder]), "watched: \(watched)")
        }
    }
}
