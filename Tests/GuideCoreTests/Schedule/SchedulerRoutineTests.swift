import Testing
@testable import GuideCore

/// A reminder never talks over a routine: it waits for the next step boundary (and 1 s
/// after its cue) or the routine's end; while the routine is paused it plays at once.
@Suite struct SchedulerRoutineTests {
    let zone = Zones.utc
    let t0 = Zones.utc(2026, 5, 4, 9, 0)

    func scheduler() throws -> Scheduler {
        Scheduler(
            schedule: try Schedule.parse(#"{"reminders": [{"name": "water", "say": "Drink", "every": "20m"}]}"#),
            offset: zone, now: t0 - 1)
    }

    @Test func dueMidStepWaitsForTheBoundaryThenOneSecond() throws {
        var s = try scheduler()
        // 12 s into a 45 s step: the next boundary is 33 s away.
        let mid = RoutineGate(state: .running, sinceBoundary: 12, untilBoundary: 33, untilCue: 30)
        #expect(s.advance(now: t0, routine: mid).isEmpty)
        #expect(s.nextWake(now: t0, routine: mid) == t0 + 34)
        #expect(s.upcoming(now: t0).first?.waitingForRoutine == true)
        // The boundary cue sounded 0.4 s ago: not yet.
        let justAfter = RoutineGate(state: .running, sinceBoundary: 0.4, untilBoundary: 44.6, untilCue: 41.6)
        #expect(s.advance(now: t0 + 33.4, routine: justAfter).isEmpty)
        #expect(s.nextWake(now: t0 + 33.4, routine: justAfter) == t0 + 34)
        let clear = RoutineGate(state: .running, sinceBoundary: 1, untilBoundary: 44, untilCue: 41)
        #expect(s.advance(now: t0 + 34, routine: clear).words == ["fire water due"])
    }

    @Test func aBoundaryBeforeTheDueTimeDoesNotCount() throws {
        var s = try scheduler()
        // Due 5 s after a boundary: it must wait for the next one.
        let gate = RoutineGate(state: .running, sinceBoundary: 5, untilBoundary: 40, untilCue: 37)
        #expect(s.advance(now: t0, routine: gate).isEmpty)
        #expect(s.nextWake(now: t0, routine: gate) == t0 + 41)
    }

    @Test func aShortStepAfterTheBoundaryPushesItToTheNextOne() throws {
        var s = try scheduler()
        _ = s.advance(now: t0, routine: RoutineGate(state: .running, sinceBoundary: 3, untilBoundary: 2, untilCue: 2))
        // The boundary passed 1 s ago, but the next cue is only 0.5 s away.
        let crowded = RoutineGate(state: .running, sinceBoundary: 1, untilBoundary: 0.5, untilCue: 0.5)
        #expect(s.advance(now: t0 + 3, routine: crowded).isEmpty)
        #expect(s.nextWake(now: t0 + 3, routine: crowded) == t0 + 4.5)
        let clear = RoutineGate(state: .running, sinceBoundary: 1, untilBoundary: 29, untilCue: 26)
        #expect(s.advance(now: t0 + 4.5, routine: clear).words == ["fire water due"])
    }

    @Test func theRoutinesEndReleasesIt() throws {
        var s = try scheduler()
        _ = s.advance(now: t0, routine: RoutineGate(state: .running, sinceBoundary: 3, untilBoundary: 7, untilCue: 4))
        // The end cue sounded 0.2 s ago; the routine is over.
        let ended = RoutineGate(state: .none, sinceBoundary: 0.2)
        #expect(s.advance(now: t0 + 7.2, routine: ended).isEmpty)
        #expect(s.nextWake(now: t0 + 7.2, routine: ended) == t0 + 8)
        #expect(s.advance(now: t0 + 8, routine: RoutineGate(state: .none, sinceBoundary: 1)).words == ["fire water due"])
    }

    @Test func whilePausedItPlaysAtOnce() throws {
        var s = try scheduler()
        let paused = RoutineGate(state: .paused, sinceBoundary: 12)
        #expect(s.advance(now: t0, routine: paused).words == ["fire water due"])
    }

    @Test func aRepeatAlsoWaitsForABoundary() throws {
        var s = try scheduler()
        _ = s.advance(now: t0)
        let mid = RoutineGate(state: .running, sinceBoundary: 10, untilBoundary: 20, untilCue: 17)
        #expect(s.advance(now: t0 + 300, routine: mid).isEmpty)
        #expect(s.nextWake(now: t0 + 300, routine: mid) == t0 + 321)
        #expect(s.advance(now: t0 + 321, routine: RoutineGate(state: .running, sinceBoundary: 1, untilBoundary: 44, untilCue: 41)).words
            == ["fire water repeat"])
    }
}
