import Testing
@testable import GuideCore

/// The duration grammar is what session authors type; every rejected form here is one a
/// person could plausibly write, and each must fail rather than mean something else.
@Suite struct DurationTextTests {
    @Test(arguments: [
        ("45s", 45), ("1m30s", 90), ("2m", 120), ("1h", 3600), ("1h2m3s", 3723), ("1h30s", 3630),
        ("007s", 7), ("90m", 5400), ("0m5s", 5), ("999999999s", 999_999_999),
    ] as [(String, Int64)])
    func parsesHoursMinutesSeconds(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: [
        "", "90", "1m30", "30s1m", "1s1s", "1m1h", "1.5s", "1 m", " 5s", "5s ", "-5s", "+5s", "1d", "s", "h1m",
        "1234567890s", "٣s", "5S", "1hr",
    ])
    func rejectsEverythingElse(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func zeroParsesAndIsLeftToTheRangeCheck() {
        #expect(DurationText.parse("0s") == .zero)
    }

    @Test func convertsSecondsToTheMillisecond() {
        #expect(DurationText.seconds(2.5) == .milliseconds(2500))
        #expect(DurationText.seconds(0.0004) == .zero)
        #expect(DurationText.seconds(-3) == .seconds(-3))
        #expect(DurationText.seconds(.infinity) == nil)
        #expect(DurationText.seconds(.nan) == nil)
        #expect(DurationText.seconds(1e9) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(45), "45s"), (.seconds(90), "1m30s"), (.seconds(7200), "2h"), (.seconds(3601), "1h1s"),
        (.milliseconds(1500), "1.5s"), (.zero, "0s"), (.seconds(16 * 3600), "16h"),
    ])
    func formatsAsPeopleWriteIt(duration: Duration, text: String) {
        #expect(DurationText.format(duration) == text)
        if duration.milliseconds % 1000 == 0 { #expect(DurationText.parse(text) == duration) }
    }

    @Test func clockRoundsUpAndShowsHours() {
        #expect(DurationText.clock(0.2) == "0:01")
        #expect(DurationText.clock(59) == "0:59")
        #expect(DurationText.clock(61) == "1:01")
        #expect(DurationText.clock(3725) == "1:02:05")
        #expect(DurationText.clock(-1) == "0:00")
    }
}
