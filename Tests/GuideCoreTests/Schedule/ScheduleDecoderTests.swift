import Testing
@testable import GuideCore

/// The schedule file's rules, each with the one line a person sees.
@Suite struct ScheduleDecoderTests {
    private func error(_ json: String) -> String? {
        do {
            _ = try Schedule.parse(json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func decodesTheIssuesExample() throws {
        let schedule = try Schedule.parse(
            """
            {
              "quiet": [{ "between": "22:00-07:30" }],
              "reminders": [
                { "name": "water", "say": "Drink a glass of water", "every": "20m", "between": "09:00-21:00",
                  "days": "mon-fri", "intake": "250ml", "dailyGoal": "2l" },
                { "name": "posture", "say": "Shoulders down, chin back", "every": "45m", "between": "09:00-17:00" },
                { "name": "evening", "session": "cooldown", "at": ["18:30"], "days": "mon,wed,fri",
                  "cue": [{"hz": 700, "ms": 100}], "voice": false }
              ]
            }
            """)
        #expect(schedule.quiet == [QuietWindow(between: TimeWindow(start: .init(hour: 22, minute: 0), end: .init(hour: 7, minute: 30)))])
        #expect(schedule.reminders.map(\.name) == ["water", "posture", "evening"])
        let water = schedule.reminders[0]
        #expect(water.timing == .every(.seconds(1200), between: TimeWindow.parse("09:00-21:00")))
        #expect(water.days == Weekdays(bits: 0b0011111))
        #expect(water.intake == 250)
        #expect(water.dailyGoal == 2000)
        let evening = schedule.reminders[2]
        #expect(evening.timing == .at([TimeOfDay(hour: 18, minute: 30)]))
        #expect(evening.text == "Time for cooldown")
        #expect(evening.cue == [Tone(frequency: 700, milliseconds: 100)])
        #expect(evening.voice == false)
        #expect(evening.days.description == "mon,wed,fri")
    }

    @Test func oneLinePerMistake() {
        #expect(error(#"{"reminders": [{"name": "water", "say": "x", "evry": "20m"}]}"#)
            == #"schedule.json: reminders[0].evry: unknown field (did you mean "every"? known fields here: name, say, every, between, at, days, session, intake, dailyGoal, cue, voice)"#)
        #expect(error(#"{"reminders": [{"name": "water", "say": "x", "every": "5s"}]}"#)
            == #"schedule.json: reminders[0].every: "5s" is out of range (a duration from 10s to 24h is allowed)"#)
        #expect(error(#"{"reminders": [{"name": "water", "say": "x", "every": "20m", "between": "9-17"}]}"#)
            == #"schedule.json: reminders[0].between: "9-17" is not a time window (use "HH:MM-HH:MM", e.g. "09:00-17:00" or "22:00-07:30" across midnight)"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "at": ["18:30", "25:00"]}]}"#)
            == #"schedule.json: reminders[0].at[1]: "25:00" is not a time of day (use "HH:MM" or "HH:MM:SS" on a 24-hour clock, e.g. "18:30")"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "at": ["18:30"], "days": "mon-fry"}]}"#)
            == #"schedule.json: reminders[0].days: "mon-fry" is not a list of days (use day names mon … sun, ranges and lists, e.g. "mon-fri", "sat,sun" or "daily")"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "every": "1h", "at": ["18:30"]}]}"#)
            == #"schedule.json: reminders[0].at: cannot be combined with "every"; use one of them"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x"}]}"#)
            == #"schedule.json: reminders[0]: has neither "every" nor "at"; say when it is due ("every": "20m" or "at": ["18:30"])"#)
        #expect(error(#"{"reminders": [{"name": "a", "every": "1h"}]}"#)
            == #"schedule.json: reminders[0]: has neither "say" nor "session"; give it a text to say or a routine to announce"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "every": "1h", "dailyGoal": "2l"}]}"#)
            == #"schedule.json: reminders[0].dailyGoal: needs "intake" (what one acknowledgement counts, e.g. "250ml")"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "every": "1h", "intake": "lots"}]}"#)
            == #"schedule.json: reminders[0].intake: "lots" is not an amount from 1ml to 10l (use millilitres or litres, e.g. "250ml", "0.3l" or "2l")"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "every": "1h"}, {"name": "a", "say": "y", "at": ["08:00"]}]}"#)
            == #"schedule.json: reminders[1].name: "a" is used by an earlier reminder; names must be unique"#)
        #expect(error(#"{"reminders": [{"name": "Water", "say": "x", "every": "1h"}]}"#)
            == #"schedule.json: reminders[0].name: "Water" is not a valid reminder name (use 1–64 lowercase letters, digits and '-', starting with a letter or digit)"#)
        #expect(error(#"{"reminders": [{"name": "a", "say": "x", "at": ["08:00"], "between": "09:00-10:00"}]}"#)
            == #"schedule.json: reminders[0].between: only goes with "every"; "at" names its own times"#)
        #expect(error(#"{"quiet": [{"from": "22:00"}]}"#)
            == #"schedule.json: quiet[0].from: unknown field (known fields here: between, days)"#)
        #expect(error(#"{"reminders": "#) == "schedule.json: line 1, column 15: unexpected end of input, expected a value")
    }

    @Test func timeGrammar() {
        #expect(TimeOfDay.parse("07:05:30") == TimeOfDay(hour: 7, minute: 5, second: 30))
        #expect(TimeOfDay.parse("7:05") == nil)
        #expect(TimeOfDay.parse("24:00") == nil)
        #expect(TimeWindow.parse("22:00-07:30")?.crossesMidnight == true)
        #expect(TimeWindow.parse("09:00-09:00") == nil)
        #expect(Weekdays.parse("fri-mon")?.description == "mon,fri,sat,sun")
        #expect(Weekdays.parse("sat, sun")?.description == "sat,sun")
        #expect(Weekdays.parse("Mon-Sun") == .all)
        #expect(Amount.milliliters("250ml") == 250)
        #expect(Amount.milliliters("0.3l") == 300)
        #expect(Amount.milliliters("2L") == 2000)
        #expect(Amount.milliliters("-2l") == nil)
        #expect(Amount.format(1500) == "1.5l")
        #expect(Scheduler.QuietRequest.parse("45m") == .duration(2700))
        #expect(Scheduler.QuietRequest.parse("until 22:00") == .until(TimeOfDay(hour: 22, minute: 0)))
        #expect(Scheduler.QuietRequest.parse("off") == .off)
        #expect(Scheduler.QuietRequest.parse("soon") == nil)
    }
}
