import Testing

@testable import GuideDaemon

/// The log lines' numbers (`late_ms=`, a hook's `took=`), written without Foundation's
/// `String(format:)`.
@Suite struct DurationTextTests {
    @Test func millisecondsHaveThreeDecimalsRoundedToTheMicrosecond() {
        #expect(Duration.zero.millisecondsText == "0.000")
        #expect(Duration.microseconds(12_345).millisecondsText == "12.345")
        #expect(Duration.nanoseconds(1_999_600).millisecondsText == "2.000")
        #expect(Duration.nanoseconds(400).millisecondsText == "0.000")
        #expect((Duration.seconds(2) + .microseconds(5)).millisecondsText == "2000.005")
        #expect(Duration.microseconds(-250).millisecondsText == "-0.250")
    }

    @Test func secondsHaveThreeDecimalsTruncatedToTheMillisecond() {
        #expect(Duration.milliseconds(1005).secondsText == "1.005")
        #expect(Duration.nanoseconds(10_999_999).secondsText == "0.010")
        #expect(Duration.seconds(12).secondsText == "12.000")
    }
}
