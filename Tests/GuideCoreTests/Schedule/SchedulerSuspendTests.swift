import Testing
@testable import GuideCore

/// Suspend and wall-clock jumps, with injected clocks: missed slots fire once on resume
/// while their window is open, none outside it; a clock set back recomputes next times.
@Suite struct SchedulerSuspendTests {
    let zone = Zones.berlin
    var nine: Double { Zones.local(2026, 5, 4, 9, 0, in: zone) }

    static let water = #"{"name": "water", "say": "Drink", "every": "20m", "between": "09:00-21:00"}"#

    func scheduler(_ json: String, at now: Double) throws -> Scheduler {
        Scheduler(schedule: try Schedule.parse(json), offset: zone, now: now)
    }

    @Test func suspendIsSeenAsGrowthOfBoottimeOverMonotonic() {
        var detector = SuspendDetector(boottime: .seconds(1000), monotonic: .seconds(900))
        #expect(detector.check(boottime: .seconds(1010), monotonic: .seconds(910)) == nil)
        #expect(detector.check(boottime: .milliseconds(1_010_300), monotonic: .seconds(910)) == nil)  // noise
        // A 10-minute suspend in the middle of a step.
        #expect(detector.check(boottime: .seconds(1620), monotonic: .seconds(920)) == .seconds(600))
        #expect(detector.check(boottime: .seconds(1630), monotonic: .seconds(930)) == nil)
    }

    @Test func suspendAcrossADueTimeFiresOnceOnResume() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine + 60)
        // Asleep from 09:10 to 10:05: the 09:20, 09:40 and 10:00 slots passed.
        #expect(s.advance(now: nine + 600).isEmpty)
        let resume = nine + 3900
        let events = s.advance(now: resume)
        #expect(events.words == ["fire water late"])
        if case .fire(let firing) = events.first { #expect(firing.dueAt == nine + 3600) }
        #expect(s.nextWake(now: resume) == resume + 300)  // its repeat, if not acknowledged
    }

    @Test func suspendPastTheWindowFiresNothing() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine + 11 * 3600 + 60)
        // Asleep from 20:50 to 21:30: the 20:00-21:00 window closed during the sleep.
        let resume = nine + 12.5 * 3600
        #expect(s.advance(now: resume).isEmpty)
        #expect(s.nextWake(now: resume) == nine + 24 * 3600)
    }

    @Test func suspendInAQuietWindowStaysQuiet() throws {
        var s = try scheduler(#"{"quiet": [{"between": "10:00-11:00"}], "reminders": [\#(Self.water)]}"#, at: nine + 3000)
        // Asleep 09:55 to 10:05 (10 minutes) — the 10:00 slot fell into quiet hours.
        let resume = nine + 3900
        #expect(s.advance(now: resume).isEmpty)
        #expect(s.nextWake(now: resume) == nine + 4800)
        #expect(s.advance(now: nine + 4800).isEmpty)  // 10:20 also quiet
        #expect(s.advance(now: nine + 7200).words == ["fire water due"])  // 11:00
    }

    @Test func anAtReminderMissedInSleepFiresOnResumeWhileItsDayLasts() throws {
        var s = try scheduler(#"{"reminders": [{"name": "evening", "say": "Stretch", "at": ["18:30"]}]}"#, at: nine)
        #expect(s.advance(now: nine + 13 * 3600).words == ["fire evening late"])  // resumed 22:00
        var t = try scheduler(#"{"reminders": [{"name": "evening", "say": "Stretch", "at": ["18:30"]}]}"#, at: nine)
        #expect(t.advance(now: nine + 15.5 * 3600).isEmpty)  // resumed 00:30 next day: window closed
    }

    @Test func unacknowledgedBeforeASleepIsMissedNotRepeated() throws {
        var s = try scheduler(#"{"reminders": [{"name": "evening", "say": "Stretch", "at": ["18:30"]}]}"#, at: nine)
        let due = nine + 9.5 * 3600
        #expect(s.advance(now: due).words == ["fire evening due"])
        #expect(s.advance(now: due + 3600).words == ["missed evening"])
    }

    @Test func wallClockSetForwardFiresOnceAndSetBackRecomputes() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine + 60)
        // Set forward two hours: one late firing, as after a suspend.
        #expect(s.advance(now: nine + 2 * 3600 + 300).words == ["fire water late"])
        _ = try s.done(name: nil, amount: nil, now: nine + 2 * 3600 + 301)
        // Set back to 09:30: the next time is 09:40 again, not 11:20.
        #expect(s.advance(now: nine + 1800).isEmpty)
        #expect(s.nextWake(now: nine + 1800) == nine + 2400)
        #expect(s.advance(now: nine + 2400).words == ["fire water due"])
    }

    @Test func aTimeZoneChangeMovesNextTimesAndKeepsWhatWaits() throws {
        // Berlin, then (a laptop carried to Lisbon: one hour behind) UTC+1 → UTC+0 in May.
        final class Box: @unchecked Sendable { var zone = Zones.berlin }
        let box = Box()
        let offset = UTCOffset { box.zone.seconds($0) }
        var s = Scheduler(
            schedule: try Schedule.parse(#"{"reminders": [\#(Self.water), {"name": "evening", "say": "Stretch", "at": ["18:30"]}]}"#),
            offset: offset, now: nine + 60)
        #expect(s.advance(now: nine + 1200).words == ["fire water due"])  // 09:20 Berlin, waits for done
        #expect(Zones.text(s.upcoming(now: nine + 1300).first { $0.name == "evening" }!.at, in: Zones.berlin) == "2026-05-04 18:30")
        box.zone = Zones.zone("Europe/Lisbon")
        s.replan(now: nine + 1300)
        let lisbon = Zones.zone("Europe/Lisbon")
        #expect(Zones.text(s.upcoming(now: nine + 1300).first { $0.name == "evening" }!.at, in: lisbon) == "2026-05-04 18:30")
        // 08:21:40 in Lisbon: water's window (09:00-21:00 local) starts again at 09:00 Lisbon.
        #expect(Zones.text(s.upcoming(now: nine + 1300).first { $0.name == "water" }!.at, in: lisbon) == "2026-05-04 09:00")
        #expect(s.waiting.map(\.name) == ["water"], "the 09:20 reminder still waits for done")
    }
}
