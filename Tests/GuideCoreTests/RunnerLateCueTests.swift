import GuideCore
import GuideTestSupport
import Testing

extension RunnerTests {
    /// Cues the runner sees late (docs/session-format.md, "Timing"; ``Runner/lateTolerance`` = 250 ms).
    @Suite struct LateCues {
        typealias R = Runner<ManualClock>
        static let tiny = Duration(secondsComponent: 0, attosecondsComponent: 1)

        func firings(_ batch: [CueFiring]) -> [String] {
            batch.map { "\($0.cue.kind)@\($0.cue.offset) \($0.disposition)" }
        }

        @Test func cuesWithin250msPlayAndLaterCountdownTicksAreSilent() throws {
            var (clock, runner, origin) = RunnerTests.started()
            _ = runner.tick()
            clock.advance(to: origin.advanced(by: .seconds(27) + .milliseconds(250)))
            var batch = runner.tick()
            #expect(batch.map(\.disposition) == [.play])
            #expect(batch.first?.lateness == .milliseconds(250))

            clock.advance(to: origin.advanced(by: .seconds(28) + .milliseconds(250) + Self.tiny))
            batch = runner.tick()
            #expect(batch.map(\.cue.secondsLeft) == [2])
            #expect(batch.map(\.disposition) == [.lateSilent])
            #expect(batch.first?.lateness == .milliseconds(250) + Self.tiny)

            clock.advance(to: origin.advanced(by: .seconds(29) + .milliseconds(100)))
            batch = runner.tick()
            #expect(batch.map(\.disposition) == [.play])

            // A boundary cue 250 ms late plays.
            clock.advance(to: origin.advanced(by: .seconds(30) + .milliseconds(250)))
            batch = runner.tick()
            #expect(batch.map(\.cue.kind) == [.step])
            #expect(batch.map(\.disposition) == [.play])
        }

        @Test func inABatchOfLateCuesOnlyTheNewestBoundaryPlays() throws {
            var (clock, runner, origin) = RunnerTests.started()
            _ = runner.tick()
            clock.advance(to: origin.advanced(by: .seconds(51)))
            let batch = runner.tick()
            #expect(
                firings(batch) == [
                    "countdown@27.0 seconds lateSilent", "countdown@28.0 seconds lateSilent",
                    "countdown@29.0 seconds lateSilent", "step@30.0 seconds lateSilent",
                    "countdown@47.0 seconds lateSilent", "countdown@48.0 seconds lateSilent",
                    "countdown@49.0 seconds lateSilent", "side@50.0 seconds play",
                ])
            for firing in batch {
                #expect(firing.lateness == .seconds(51) - firing.cue.offset)
            }
        }

        @Test func countdownTicksAfterTheNewestBoundaryFollowTheTolerance() throws {
            var (clock, runner, origin) = RunnerTests.started()
            _ = runner.tick()
            clock.advance(to: origin.advanced(by: .milliseconds(48_100)))
            let batch = runner.tick()
            #expect(
                batch.map(\.disposition) == [.lateSilent, .lateSilent, .lateSilent, .play, .lateSilent, .play])
            #expect(batch.map(\.cue.offset) == [27, 28, 29, 30, 47, 48].map { Duration.seconds($0) })
            #expect(batch.last?.lateness == .milliseconds(100))
        }

        @Test func anOnTimeNewestBoundarySilencesTheOlderLateOne() throws {
            var (clock, runner, origin) = RunnerTests.started()
            _ = runner.tick()
            clock.advance(to: origin.advanced(by: .seconds(50)))
            let batch = runner.tick()
            #expect(batch.filter { $0.disposition == .play }.map(\.cue.kind) == [.side])
            #expect(batch.first { $0.cue.kind == .step }?.disposition == .lateSilent)
            #expect(batch.last?.lateness == .zero)
        }

        @Test func aLateEndReportsItsTrueLateness() throws {
            var (clock, runner, origin) = RunnerTests.started()
            RunnerTests.walk(clock, &runner, from: origin, through: .seconds(226))
            // The clock stalls from 226 s to 240 s: the last countdown and the end are late.
            clock.advance(to: origin.advanced(by: .seconds(240)))
            let batch = runner.tick()
            #expect(batch.map(\.cue.kind) == [.countdown, .countdown, .countdown, .end])
            #expect(batch.map(\.lateness) == [13, 12, 11, 10].map { Duration.seconds($0) })
            #expect(batch.map(\.disposition) == [.lateSilent, .lateSilent, .lateSilent, .play])
            #expect(runner.state == .finished)
        }

        @Test func backAfterTheClockOvershotTheEndLandsOnTheSegmentStart() throws {
            var (clock, runner, origin) = RunnerTests.started()
            RunnerTests.walk(clock, &runner, from: origin, through: .seconds(229))
            // The end is due but not yet ticked when `back` arrives, 30 s late.
            clock.advance(to: origin.advanced(by: .seconds(260)))
            try runner.back()
            #expect(runner.elapsed == .seconds(215))
            #expect(runner.nextDeadline == clock.now)
            let batch = runner.tick()
            #expect(batch.map(\.cue.kind) == [.rest])
            #expect(batch.first?.lateness == .zero)
        }
    }
}
