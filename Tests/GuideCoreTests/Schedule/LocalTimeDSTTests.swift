import Testing
@testable import GuideCore

/// Local wall-clock times across Europe/Berlin's 2026 changes: clocks go forward at
/// 02:00 on 29 March (to 03:00) and back at 03:00 on 25 October (to 02:00).
@Suite struct LocalTimeDSTTests {
    let berlin = Zones.berlin

    @Test func readingsThatDoNotExistMoveForwardAndDoubledOnesTakeTheFirst() {
        // 02:30 does not exist on the spring day: it is 03:30 CEST, 01:30 UTC.
        #expect(Zones.local(2026, 3, 29, 2, 30, in: berlin) == Zones.utc(2026, 3, 29, 1, 30))
        #expect(Zones.local(2026, 3, 29, 3, 30, in: berlin) == Zones.utc(2026, 3, 29, 1, 30))
        #expect(Zones.local(2026, 3, 29, 1, 30, in: berlin) == Zones.utc(2026, 3, 29, 0, 30))
        // 02:30 happens twice on the autumn day: the first is 00:30 UTC (CEST).
        #expect(Zones.local(2026, 10, 25, 2, 30, in: berlin) == Zones.utc(2026, 10, 25, 0, 30))
        #expect(Zones.local(2026, 10, 25, 3, 30, in: berlin) == Zones.utc(2026, 10, 25, 2, 30))
    }

    @Test func anAtTimeSkippedBySpringForwardFiresWhenTheClockJumpsPastIt() throws {
        let schedule = try Schedule.parse(#"{"reminders": [{"name": "night", "say": "x", "at": ["02:30", "03:15"]}]}"#)
        let reminder = schedule.reminders[0]
        let first = reminder.occurrence(after: Zones.local(2026, 3, 29, 0, 0, in: berlin), offset: berlin)!
        #expect(Zones.text(first.due, in: berlin) == "2026-03-29 03:15")
        let second = reminder.occurrence(after: first.due, offset: berlin)!
        #expect(Zones.text(second.due, in: berlin) == "2026-03-29 03:30")
        let third = reminder.occurrence(after: second.due, offset: berlin)!
        #expect(Zones.text(third.due, in: berlin) == "2026-03-30 02:30")
    }

    @Test func anAtTimeThatHappensTwiceFiresOnce() throws {
        let schedule = try Schedule.parse(#"{"reminders": [{"name": "night", "say": "x", "at": ["02:30"]}]}"#)
        let reminder = schedule.reminders[0]
        let first = reminder.occurrence(after: Zones.local(2026, 10, 25, 0, 0, in: berlin), offset: berlin)!
        #expect(first.due == Zones.utc(2026, 10, 25, 0, 30))
        let next = reminder.occurrence(after: first.due, offset: berlin)!
        #expect(Zones.text(next.due, in: berlin) == "2026-10-26 02:30")
    }

    /// `every` counts real time: an hourly reminder through the spring night fires 7
    /// times (the night is an hour shorter), through the autumn night 9 times, each an hour apart.
    @Test func everyAcrossTheChangeStaysEveryApart() throws {
        let schedule = try Schedule.parse(#"{"reminders": [{"name": "n", "say": "x", "every": "1h", "between": "22:00-06:00"}]}"#)
        let reminder = schedule.reminders[0]
        func night(from start: Double) -> [String] {
            var out: [String] = []
            var t = start
            while let o = reminder.occurrence(after: t, offset: berlin), out.count < 12 {
                if o.due - start > 12 * 3600 { break }
                out.append(Zones.text(o.due, in: berlin))
                t = o.due
            }
            return out
        }
        let spring = night(from: Zones.local(2026, 3, 28, 21, 0, in: berlin))
        #expect(spring == ["2026-03-28 22:00", "2026-03-28 23:00", "2026-03-29 00:00", "2026-03-29 01:00",
                           "2026-03-29 03:00", "2026-03-29 04:00", "2026-03-29 05:00"])
        let autumn = night(from: Zones.local(2026, 10, 24, 21, 0, in: berlin))
        #expect(autumn == ["2026-10-24 22:00", "2026-10-24 23:00", "2026-10-25 00:00", "2026-10-25 01:00",
                           "2026-10-25 02:00", "2026-10-25 02:00", "2026-10-25 03:00", "2026-10-25 04:00", "2026-10-25 05:00"])
    }

    @Test func betweenAcrossMidnightBelongsToTheDayItStarts() throws {
        // Friday's 22:00-02:00 window runs into Saturday; Saturday's does not exist (mon-fri).
        let schedule = try Schedule.parse(
            #"{"reminders": [{"name": "n", "say": "x", "every": "2h", "between": "22:00-02:00", "days": "mon-fri"}]}"#)
        let reminder = schedule.reminders[0]
        var t = Zones.local(2026, 5, 1, 21, 0, in: berlin)  // Friday
        var dues: [String] = []
        for _ in 0..<3 {
            let o = reminder.occurrence(after: t, offset: berlin)!
            dues.append(Zones.text(o.due, in: berlin))
            t = o.due
        }
        #expect(dues == ["2026-05-01 22:00", "2026-05-02 00:00", "2026-05-04 22:00"])
    }

    @Test func daysSkipTheWeekend() throws {
        let schedule = try Schedule.parse(
            #"{"reminders": [{"name": "water", "say": "x", "every": "20m", "between": "09:00-21:00", "days": "mon-fri"}]}"#)
        let o = schedule.reminders[0].occurrence(after: Zones.local(2026, 5, 1, 20, 45, in: berlin), offset: berlin)!
        #expect(Zones.text(o.due, in: berlin) == "2026-05-04 09:00")
        #expect(o.windowEnd == Zones.local(2026, 5, 4, 21, 0, in: berlin))
    }
}
