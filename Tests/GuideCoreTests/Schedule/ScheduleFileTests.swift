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
}
