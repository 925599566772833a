@testable import GuideCore
import Testing

@testable import GuideCLI
import GuideProtocol

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

    @Test func audioTroubleIsAMarkerOnTheLineAndTheErrorInLong() {
        let status = SampleStatus.running(audio: .init(device: "hw:9", ok: false, error: "cannot open ALSA device \"hw:9\": No such file or directory"))
        #expect(StatusFormatter.human(status) == "▶ cooldown  3/9 Knee-to-chest (left)  0:12 left · 4:31 to go · no sound")
        var idle = Status.idle
        idle.audio = status.audio
        #expect(StatusFormatter.human(idle) == "idle · no sound")
        #expect(StatusFormatter.long(status).contains("\naudio: cannot open ALSA device \"hw:9\": No such file or directory"))
        #expect(StatusFormatter.long(SampleStatus.running()).hasSuffix("\naudio: default ok"))
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
                == "▶ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12 · 4:31 to go")
        #expect(
            StatusFormatter.liveLine(SampleStatus.running(state: .paused), barWidth: 10)
                == "⏸ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12 (paused) · 4:31 to go")
        #expect(StatusFormatter.liveLine(SampleStatus.finished) == "✓ cooldown finished")
        #expect(StatusFormatter.liveLine(.idle).hasPrefix("idle"))
    }

    @Test("the live line never wraps, and the time left is never cut", arguments: [10, 20, 30, 40, 50, 60, 80, 120, 200])
    func liveLineNeverWraps(columns: Int) {
        let trouble = SampleStatus.running(audio: .init(device: "default", ok: false, error: String(repeating: "x", count: 90)))
        for status in [SampleStatus.running(), SampleStatus.running(state: .paused), trouble] {
            let line = StatusFormatter.liveLine(status, barWidth: 20, columns: columns)
            #expect(line.count <= columns - 1 || line == "▶ 0:12" || line == "⏸ 0:12 (paused)", "\(line)")
            #expect(line.contains("0:12"), "\(line)")
        }
    }

    @Test func liveLinePartsGiveWayInOrder() {
        let trouble = SampleStatus.running(audio: .init(device: "default", ok: false, error: "boom"))
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 200) == "▶ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12 · 4:31 to go · no sound")
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 60) == "▶ cooldown [###-------] 3/9 Knee-to-chest (left) 0:12")
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 41) == "▶ cooldown 3/9 Knee-to-chest (left) 0:12")
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 32) == "▶ 3/9 Knee-to-chest (left) 0:12")
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 28) == "▶ Knee-to-chest (left) 0:12")
        #expect(StatusFormatter.liveLine(trouble, barWidth: 10, columns: 20) == "▶ Knee-to-che… 0:12")
    }

    @Test func colourOnlyWhenAskedFor() {
        #expect(TextStyle.forOutput(isTerminal: true, noColor: nil) == .coloured)
        #expect(TextStyle.forOutput(isTerminal: true, noColor: "") == .coloured)
        #expect(TextStyle.forOutput(isTerminal: true, noColor: "1") == .plain)
        #expect(TextStyle.forOutput(isTerminal: false, noColor: nil) == .plain)
        let coloured = StatusFormatter.liveLine(SampleStatus.running(), barWidth: 10, style: .coloured)
        #expect(coloured == "\u{1B}[32m▶\u{1B}[0m cooldown [\u{1B}[32m###\u{1B}[0m-------] 3/9 Knee-to-chest (left) 0:12 · 4:31 to go")
        #expect(StatusFormatter.human(SampleStatus.running(state: .paused), style: .coloured).hasPrefix("\u{1B}[33m⏸\u{1B}[0m cooldown"))
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
