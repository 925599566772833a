import Testing
@testable import GuideCore

/// The scheduler's state machine with wall times given by the test: firing, repeat,
/// missed, done, snooze, quiet hours.
@Suite struct SchedulerTests {
    let zone = Zones.berlin
    /// Monday 4 May 2026, 09:00 local.
    var nine: Double { Zones.local(2026, 5, 4, 9, 0, in: zone) }

    func scheduler(_ json: String, at now: Double) throws -> Scheduler {
        Scheduler(schedule: try Schedule.parse(json), offset: zone, now: now)
    }

    static let water = #"{"name": "water", "say": "Drink", "every": "20m", "between": "09:00-21:00", "intake": "250ml", "dailyGoal": "2l"}"#

    @Test func firesAtItsTimeThenRepeatsOnceThenIsMissed() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine - 60)
        #expect(s.nextWake(now: nine - 60) == nine)
        #expect(s.advance(now: nine - 1).isEmpty)
        #expect(s.advance(now: nine).words == ["fire water due"])
        #expect(s.waiting.map(\.name) == ["water"])
        #expect(s.nextWake(now: nine) == nine + 300)
        #expect(s.advance(now: nine + 300).words == ["fire water repeat"])
        #expect(s.advance(now: nine + 600).words == ["missed water"])
        #expect(s.waiting.isEmpty)
        #expect(s.nextWake(now: nine + 600) == nine + 1200)
    }

    @Test func theNextSlotSupersedesAnUnacknowledgedOne() throws {
        var s = try scheduler(#"{"reminders": [{"name": "tick", "say": "x", "every": "10s"}]}"#, at: nine - 1)
        #expect(s.advance(now: nine).words == ["fire tick due"])
        #expect(s.advance(now: nine + 10).words == ["missed tick", "fire tick due"])
    }

    @Test func doneRecordsTheIntakeAndEndsTheWait() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine - 1)
        _ = s.advance(now: nine)
        let outcome = try s.done(name: nil, amount: nil, now: nine + 30)
        #expect(outcome == ReminderOutcome(name: "water", result: .done, amount: 250, at: nine + 30))
        #expect(s.waiting.isEmpty)
        #expect(s.advance(now: nine + 300).isEmpty)  // no repeat
        #expect(try s.done(name: "water", amount: 300, now: nine + 400).amount == 300)  // early glasses count too
        #expect(throws: SchedulerError("no reminder is waiting; name the one to acknowledge, e.g. `guidectl done water`")) {
            try s.done(name: nil, amount: nil, now: nine + 500)
        }
        #expect(throws: SchedulerError(#"no reminder named "tea" in the schedule (it has: water)"#)) {
            try s.done(name: "tea", amount: nil, now: nine + 500)
        }
    }

    @Test func snoozeDefaultsToTenMinutesAtMostThreeInARow() throws {
        var s = try scheduler(#"{"reminders": [{"name": "water", "say": "Drink", "at": ["09:00", "12:00"]}]}"#, at: nine - 1)
        _ = s.advance(now: nine)
        var t = nine
        for round in 1...3 {
            let outcome = try s.snooze(name: "water", duration: nil, now: t + 5)
            #expect(outcome.result == .snoozed)
            #expect(outcome.until == t + 605, "round \(round)")
            #expect(s.advance(now: t + 604).isEmpty)
            #expect(s.advance(now: t + 605).words == ["fire water snoozed"])
            t += 605
        }
        #expect(throws: SchedulerError("water was snoozed 3 times in a row; acknowledge it with `guidectl done water` or let it go")) {
            try s.snooze(name: nil, duration: nil, now: t + 1)
        }
        _ = try s.done(name: nil, amount: nil, now: t + 2)
        #expect(s.advance(now: nine + 3 * 3600).words == ["fire water due"])
        #expect(try s.snooze(name: nil, duration: 60, now: nine + 3 * 3600 + 1).until == nine + 3 * 3600 + 61)  // counting starts again
    }

    @Test func fileQuietWindowsHoldRemindersBack() throws {
        // Quiet 12:00-13:00: the 12:00 … 12:40 slots wait; at 13:00 the 13:00 slot fires once.
        var s = try scheduler(
            #"{"quiet": [{"between": "12:00-13:00"}], "reminders": [\#(Self.water)]}"#, at: nine + 3 * 3600 - 1)
        let noon = nine + 3 * 3600
        #expect(s.advance(now: noon).isEmpty)
        #expect(s.quietUntil(noon) == noon + 3600)
        let list = s.upcoming(now: noon)
        #expect(list.first?.at == noon + 3600)
        #expect(list.first?.heldByQuiet == true)
        #expect(s.advance(now: noon + 1200).isEmpty)
        #expect(s.advance(now: noon + 3600).words == ["fire water due"])
        #expect(s.advance(now: noon + 3601).isEmpty)
    }

    @Test func anAtReminderHeldByQuietFiresWhenQuietEndsIfItsDayIsStillOpen() throws {
        var s = try scheduler(#"{"reminders": [{"name": "evening", "session": "cooldown", "at": ["18:30"]}]}"#, at: nine)
        let due = nine + 9.5 * 3600
        #expect(s.quiet(.duration(3600), now: due - 600) == due + 3000)
        #expect(s.advance(now: due).isEmpty)
        #expect(s.upcoming(now: due).map(\.at) == [due + 3000])
        let events = s.advance(now: due + 3000)
        #expect(events.words == ["fire evening due"])
        if case .fire(let firing) = events.first { s.announced(firing) }
        #expect(s.lastAnnounced == "cooldown")
    }

    @Test func quietUntilAndOff() throws {
        var s = try scheduler(#"{"quiet": [{"between": "08:00-10:00"}], "reminders": [\#(Self.water)]}"#, at: nine - 60)
        // `quiet off` inside the file's window lifts it until that window ends.
        #expect(s.quietUntil(nine - 60) == nine + 3600)
        #expect(s.quiet(.off, now: nine - 60) == nil)
        #expect(s.advance(now: nine).words == ["fire water due"])
        // `quiet until 08:30` at 09:05 means tomorrow morning.
        #expect(s.quiet(.until(TimeOfDay(hour: 8, minute: 30)), now: nine + 300) == Zones.local(2026, 5, 5, 10, 0, in: zone))
        #expect(s.manualQuietUntil == Zones.local(2026, 5, 5, 8, 30, in: zone))
        // The repeat could not sound in quiet hours and is long overdue: missed; the 09:20 slot is quiet.
        #expect(s.advance(now: nine + 1200).words == ["missed water"])
    }

    @Test func upcomingListsTheNextTimeOfEach() throws {
        let s = try scheduler(
            #"""
            {"reminders": [\#(Self.water),
              {"name": "evening", "session": "cooldown", "at": ["18:30"], "days": "mon,wed,fri"},
              {"name": "posture", "say": "Shoulders down", "every": "45m", "between": "09:00-17:00"}]}
            """#, at: nine + 60)
        let list = s.upcoming(now: nine + 60)
        #expect(list.map(\.name) == ["water", "posture", "evening"])
        #expect(list.map { Zones.text($0.at, in: zone) } == ["2026-05-04 09:20", "2026-05-04 09:45", "2026-05-04 18:30"])
    }

    @Test func reloadKeepsWhatWaits() throws {
        var s = try scheduler(#"{"reminders": [\#(Self.water)]}"#, at: nine - 1)
        _ = s.advance(now: nine)
        s.replace(try Schedule.parse(#"{"reminders": [\#(Self.water), {"name": "b", "say": "y", "at": ["10:00"]}]}"#), now: nine + 1)
        #expect(s.waiting.map(\.name) == ["water"])
        #expect(s.upcoming(now: nine + 1).map(\.name) == ["water", "b"])
    }
}
