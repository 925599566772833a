@testable import GuideCore
import Testing

@testable import GuideProtocol

/// Statuses as the daemon sends them, for the formatter tests.
enum SampleStatus {
    static func running(
        remaining stepLeft: Double = 12, side: Side? = .left, state: Status.State = .running, restored: Bool = false,
        audio: Status.AudioStatus? = .init(device: "default", ok: true), rounds: Int = 1
    ) -> Status {
        Status(
            state: state, session: "cooldown", title: "Back-friendly cooldown",
            step: .init(
                index: 3, count: 9, name: "Knee-to-chest", side: side, rest: false, duration: 45, remaining: stepLeft,
                instructions: nil),
            round: .init(index: 1, count: rounds), elapsed: 129, remaining: 271, total: 400,
            next: .init(name: "Knee-to-chest", side: .right, duration: 45), audio: audio,
            startedAt: "2025-05-01T18:30:00Z", restored: restored)
    }

    static var finished: Status {
        var status = running(remaining: 0)
        status.state = .finished
        status.elapsed = 400
        status.remaining = 0
        status.next = nil
        return status
    }
}

@Suite struct StatusFormatterTests {
    @Test func runningLine() {
        #expect(StatusFormatter.human(SampleStatus.running()) == "▶ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go")
    }

    @Test func pausedLine() {
        #expect(
            StatusFormatter.human(SampleStatus.running(state: .paused))
                == "⏸ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go")
    }

    @Test func finishedAndIdleLines() {
        #expect(StatusFormatter.human(SampleStatus.finished) == "✓ cooldown finished")
        #expect(StatusFormatter.human(.idle) == "idle")
    }

    @Test func stepWithoutSideHasNoParentheses() {
        #expect(StatusFormatter.summary(SampleStatus.running(side: nil)) == "▶ cooldown  3/9 Knee-to-chest  0:12 left · 4:31 to go")
    }

    @Test func roundsAreShownOnlyWhenThereAreSeveral() {
        #expect(
            StatusFormatter.summary(SampleStatus.running(rounds: 3))
                == "▶ cooldown  round 1/3  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go")
    }

    @Test func restoredSessionSaysSo() {
        #expect(
            StatusFormatter.summary(SampleStatus.running(state: .paused, restored: true))
                == "⏸ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go  (restored after a restart; 'guidectl resume' goes on)")
        #expect(StatusFormatter.summary(SampleStatus.running(restored: true)).hasSuffix("  (restored after a restart)"))
    }

    @Test func audioTroubleAddsASecondLine() {
        let status = SampleStatus.running(audio: .init(device: "hw:9", ok: false, error: "cannot open ALSA device \"hw:9\": No such file or directory"))
        #expect(
            StatusFormatter.human(status)
                == "▶ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go\naudio: cannot open ALSA device \"hw:9\": No such file or directory")
        let noText = SampleStatus.running(audio: .init(device: "hw:9", ok: false))
        #expect(StatusFormatter.audioLine(noText) == "audio: device hw:9 failed")
        #expect(StatusFormatter.audioLine(SampleStatus.running()) == nil)
    }

    @Test(arguments: [
        (12.0, "0:12"), (11.2, "0:12"), (0.01, "0:01"), (0, "0:00"), (59.5, "1:00"), (600, "10:00"), (3661, "1:01:01"),
    ])
    func remainingTimeRoundsUp(seconds: Double, text: String) {
        #expect(StatusFormatter.summary(SampleStatus.running(remaining: seconds)).contains("  \(text) left"))
    }

    @Test(arguments: [
        (0.0, 10, "[----------]"), (0.5, 10, "[#####-----]"), (0.99, 10, "[#########-]"), (1.0, 10, "[##########]"),
        (1.7, 4, "[####]"), (-1, 4, "[----]"), (.nan, 3, "[---]"), (0.5, 0, "[]"),
    ])
    func progressBarHasTheGivenWidth(fraction: Double, width: Int, bar: String) {
        let drawn = StatusFormatter.progressBar(fraction: fraction, width: width)
        #expect(drawn == bar)
        #expect(drawn.count == width + 2)
    }

    @Test func liveLineShowsBarStepAndTimeLeft() {
        #expect(
            StatusFormatter.liveLine(SampleStatus.running(), barWidth: 10)
                == "▶ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12")
        #expect(
            StatusFormatter.liveLine(SampleStatus.running(state: .paused), barWidth: 10)
                == "⏸ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12 (paused)")
        #expect(StatusFormatter.liveLine(SampleStatus.finished) == "✓ cooldown finished")
        #expect(StatusFormatter.liveLine(.idle).hasPrefix("idle"))
    }

    @Test func liveLineNeverWraps() {
        let line = StatusFormatter.liveLine(SampleStatus.running(), barWidth: 10, columns: 30)
        #expect(line.count == 29)
        #expect(line.hasSuffix("…"))
        #expect(StatusFormatter.liveLine(SampleStatus.running(), barWidth: 10, columns: 200).count < 199)
    }

    @Test func eventLines() {
        let status = SampleStatus.running(remaining: 45)
        #expect(StatusFormatter.eventLine(Event(.step, status: status), time: "18:02:11") == "18:02:11 step 3/9 Knee-to-chest (left) 0:45")
        #expect(StatusFormatter.eventLine(Event(.side, status: status), time: "t") == "t side 3/9 Knee-to-chest (left) 0:45")
        #expect(StatusFormatter.eventLine(Event(.started, status: status), time: "t") == "t started cooldown 3/9 Knee-to-chest (left) 0:45")
        #expect(StatusFormatter.eventLine(Event(.paused, status: status), time: "t") == "t paused 3/9 Knee-to-chest (left) 0:45 left")
        #expect(StatusFormatter.eventLine(Event(.countdown, status: status, secondsLeft: 3), time: "t") == "t countdown 3")
        #expect(StatusFormatter.eventLine(Event(.finished, status: SampleStatus.finished), time: "t") == "t finished cooldown")
        #expect(StatusFormatter.eventLine(Event(.stopped, status: .idle), time: "t") == "t stopped")
        #expect(
            StatusFormatter.eventLine(Event(.stopped, status: status, message: "replaced by posture"), time: "t")
                == "t stopped cooldown (replaced by posture)")
        #expect(StatusFormatter.eventLine(Event(.reloaded, status: .idle, message: "6 sessions"), time: "t") == "t reloaded 6 sessions")
    }

    @Test func projectionCountsDownWhileRunningOnly() {
        let running = SampleStatus.running().projected(after: 2.5)
        #expect(running.step?.remaining == 9.5)
        #expect(running.remaining == 268.5)
        #expect(running.elapsed == 131.5)
        #expect(SampleStatus.running().projected(after: 100).step?.remaining == 0)
        #expect(SampleStatus.running().projected(after: 1000).remaining == 0)
        #expect(SampleStatus.running().projected(after: 1000).elapsed == 400)
        #expect(SampleStatus.running(state: .paused).projected(after: 5) == SampleStatus.running(state: .paused))
        #expect(Status.idle.projected(after: 5) == .idle)
    }
}
