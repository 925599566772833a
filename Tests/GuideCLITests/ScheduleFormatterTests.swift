import GuideCore
import Testing
@testable import GuideCLI
import GuideProtocol

/// `guidectl schedule` and the reminder part of `history --stats`, in a fixed zone.
@Suite struct ScheduleFormatterTests {
    /// Monday 4 May 2026, 09:06 UTC.
    let now = Double(CivilDay.number(year: 2026, month: 5, day: 4) * 86_400 + 9 * 3600 + 360)

    func upcoming(_ name: String, _ text: String, in seconds: Double, quiet: Bool = false) -> UpcomingReminder {
        var item = UpcomingReminder(
            Scheduler.Upcoming(name: name, text: text, session: nil, at: now + seconds, heldByQuiet: quiet, waitingForRoutine: false),
            now: now)
        item.dailyGoal = nil
        return item
    }

    @Test func aTableLikeListTimers() {
        let listing = ScheduleListing(
            file: "/home/a/.config/guide/schedule.json", error: nil, quietUntil: nil,
            reminders: [upcoming("water", "Drink a glass of water", in: 840), upcoming("evening", "Time for cooldown", in: 33_840)],
            waiting: [])
        #expect(ScheduleFormatter.text(listing, now: now, offset: .fixed(0)) == """
            NEXT                     LEFT      NAME     WHAT
            Mon 2026-05-04 09:20:00  14min     water    Drink a glass of water
            Mon 2026-05-04 18:30:00  9h 24min  evening  Time for cooldown
            """)
    }

    @Test func quietHoursAndWaitingAreSaid() {
        let listing = ScheduleListing(
            file: nil, error: nil, quietUntil: WireTime.iso(now + 3600),
            reminders: [upcoming("water", "Drink", in: 3600, quiet: true)],
            waiting: [WaitingReminder(Scheduler.Pending(name: "water", text: "Drink", firedAt: now - 60, deadline: now + 240, repeated: false, snoozes: 1, snoozed: false))])
        let text = ScheduleFormatter.text(listing, now: now, offset: .fixed(7200))
        #expect(text.contains("Mon 2026-05-04 12:06:00  1h    water  Drink (after quiet hours)"), "\(text)")
        #expect(text.contains("waiting: water since Mon 2026-05-04 11:05:00, snoozed 1×"))
        #expect(text.hasSuffix("quiet hours until Mon 2026-05-04 12:06:00 hold reminders back ('guidectl quiet off' ends them)"))
    }

    @Test func timeLeftAsSystemdWritesIt() {
        #expect(ScheduleFormatter.left(45) == "45s")
        #expect(ScheduleFormatter.left(125) == "2min 5s")
        #expect(ScheduleFormatter.left(840) == "14min")
        #expect(ScheduleFormatter.left(3900) == "1h 5min")
        #expect(ScheduleFormatter.left(90_000) == "1 day")
    }

    @Test func intakeAgainstTheGoalAndTheWeeksOutcomes() throws {
        func record(_ name: String, _ outcome: String, _ amount: Int?, daysAgo: Int) -> ReminderRecord {
            var r = ReminderRecord(ReminderOutcome(name: name, result: .done, at: now - Double(daysAgo) * 86_400))
            r.outcome = outcome
            r.amount = amount
            return r
        }
        let records = [
            record("water", "done", 250, daysAgo: 7),  // last week: not counted
            record("water", "done", 250, daysAgo: 0), record("water", "done", 500, daysAgo: 0),
            record("water", "missed", nil, daysAgo: 0), record("posture", "snoozed", nil, daysAgo: 0),
        ]
        let stats = try #require(ReminderStats.compute(records, goals: ["water": 2000], now: now, offset: .fixed(0)))
        #expect(stats.text == """
            today       water 750ml of 2l (37%)

            reminder  done  snoozed  missed   (since 2026-05-04)
            posture      0        1       0
            water        2        0       1
            """)
        #expect(ReminderStats.compute([], goals: [:], now: now, offset: .fixed(0)) == nil)
    }
}

extension ScheduleFormatterTests {
    @Test func aSuspendPauseSaysWhyInStatus() {
        var status = SampleStatus.running(state: .paused)
        status.pauseReason = "the system was suspended"
        #expect(StatusFormatter.summary(status).hasSuffix("  (paused: the system was suspended; 'guidectl resume' goes on)"))
    }

    @Test func reminderPlaceholders() throws {
        var status = Status.idle
        let template = try StatusTemplate("{reminder}|{reminder_in}")
        #expect(template.render(status) == "|")
        status.reminders = .init(next: .init(name: "water", text: "Drink", at: WireTime.iso(now + 125)), waiting: [])
        #expect(StatusTemplate.value(of: .reminderIn, in: status, now: now) == "2:05")
        #expect(StatusTemplate.value(of: .reminder, in: status, now: now) == "water")
    }
}
