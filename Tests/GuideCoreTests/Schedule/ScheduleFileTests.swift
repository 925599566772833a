import Testing
@testable import GuideCore

@Suite struct ScheduleFileTests {
    @Test func theFlagWinsThenTheEnvironmentThenXDG() {
        #expect(ScheduleFile.path(flag: "/a.json", environment: ["GUIDE_SCHEDULE": "/b.json"]) == "/a.json")
        #expect(ScheduleFile.path(flag: nil, environment: ["GUIDE_SCHEDULE": "/b.json", "XDG_CONFIG_HOME": "/c"]) == "/b.json")
        #expect(ScheduleFile.path(flag: nil, environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"]) == "/c/guide/schedule.json")
        #expect(ScheduleFile.path(flag: nil, environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]) == "/h/.config/guide/schedule.json")
    }

    @Test func aMissingFileIsNoScheduleAndABrokenOneSaysWhy() throws {
        let dir = try TemporaryDirectory()
        #expect(try ScheduleFile.read(path: dir.path + "/schedule.json") == nil)
        let path = try dir.write("schedule.json", bytes: Array(#"{"reminders": [{"name": "w", "say": "x", "every": "1s"}]}"#.utf8))
        #expect(throws: SessionError(file: "schedule.json", location: "reminders[0].every", message: #""1s" is out of range (a duration from 10s to 24h is allowed)"#)) {
            try ScheduleFile.read(path: path)
        }
    }

    @Test func validateCallsAMissingFileAnErrorAndTellsSchedulesFromSessions() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: SessionError(file: "schedule.json", location: "", message: "does not exist")) {
            try ScheduleFile.validate(path: dir.path + "/schedule.json")
        }
        let schedule = try dir.write("a.json", bytes: Array(#"{"quiet": [{"between": "22:00-07:00"}]}"#.utf8))
        let session = try dir.write("b.json", bytes: Array(#"{"title": "T", "steps": [], "reminders": []}"#.utf8))
        let notJSON = try dir.write("c.json", bytes: Array("reminders".utf8))
        #expect(ScheduleFile.looksLikeSchedule(path: schedule))
        #expect(!ScheduleFile.looksLikeSchedule(path: session))
        #expect(!ScheduleFile.looksLikeSchedule(path: notJSON))
        #expect(try ScheduleFile.validate(path: schedule).quiet.count == 1)
    }

    @Test func aScheduleFileIsAtMost256KiB() throws {
        let dir = try TemporaryDirectory()
        let padding = String(repeating: " ", count: Schedule.maximumFileSize)
        let text = #"{"reminders": []}"# + padding
        let path = try dir.write("schedule.json", bytes: Array(text.utf8))
        #expect(throws: SessionError(file: "schedule.json", location: "", message: "file is \(text.utf8.count) bytes; a schedule file may be at most 256 KiB (262144 bytes)")) {
            try ScheduleFile.read(path: path)
        }
    }
}
