import GuideCore
import GuideTestSupport
import Testing

extension RunnerTests {
    /// `restorePaused`: the daemon died mid-session and the next start brings it back paused.
    @Suite struct Restore {
        typealias R = Runner<ManualClock>

        @Test func restoresPausedAtTheRightStepAndResumesOnTime() throws {
            let clock = ManualClock(start: .init(.seconds(42)))
            var runner = R(clock: clock)
            runner.restorePaused(RunnerTests.sample, elapsed: .milliseconds(57_250), startedAt: "2025-06-01T18:30:00Z")
            #expect(runner.state == .paused)
            #expect(runner.restored)
            #expect(runner.nextDeadline == nil)
            #expect(runner.tick().isEmpty)
            var status = runner.status
            #expect(status.state == .paused)
            #expect(status.restored)
            #expect(status.startedAt == "2025-06-01T18:30:00Z")
            #expect(status.step?.index == 2)
            #expect(status.step?.name == "Lunge")
            #expect(status.step?.side == .right)
            #expect(status.step?.remaining == 12.75)
            #expect(status.elapsed == 57.25)
            #expect(status.remaining == 172.75)

            clock.advance(by: .seconds(7200))
            status = runner.status
            #expect(status.step?.remaining == 12.75)
            try runner.resume()
            let resumedAt = clock.now
            #expect(runner.state == .running)
            #expect(runner.restored)  // still a restored run
            // Lunge (right) runs 50–70 s: its first countdown tick is due at 67 s.
            #expect(runner.nextDeadline == resumedAt.advanced(by: .milliseconds(67_000 - 57_250)))
            var fired: [(CueFiring, ManualClock.Instant)] = []
            while let deadline = runner.nextDeadline {
                clock.advance(to: deadline)
                fired += runner.tick().map { ($0, clock.now) }
            }
            let cues = try #require(runner.timeline?.cues)
            #expect(fired.map(\.0.cue) == Array(cues.drop { $0.offset < .milliseconds(57_250) }))
            #expect(fired.first?.0.cue.offset == .seconds(67))
            for (firing, instant) in fired {
                #expect(firing.lateness == .zero)
                #expect(instant == resumedAt.advanced(by: firing.cue.offset - .milliseconds(57_250)))
            }
            #expect(runner.state == .finished)
        }

        @Test func restoredExactlyAtABoundaryPlaysThatBoundaryOnResume() throws {
            let clock = ManualClock()
            var runner = R(clock: clock)
            runner.restorePaused(RunnerTests.sample, elapsed: .seconds(30), startedAt: nil)
            #expect(runner.status.step?.side == .left)
            #expect(runner.status.step?.remaining == 20)
            clock.advance(by: .seconds(5))
            try runner.resume()
            #expect(runner.nextDeadline == clock.now)
            let fired = runner.tick()
            #expect(fired.map(\.cue.kind) == [.step])
            #expect(fired.first?.lateness == .zero)
        }

        @Test func restoredPositionsAreClampedToTheSession() throws {
            let clock = ManualClock()
            var runner = R(clock: clock)
            runner.restorePaused(RunnerTests.sample, elapsed: .seconds(-5), startedAt: nil)
            #expect(runner.elapsed == .zero)
            try runner.resume()
            #expect(runner.tick().map(\.cue.kind) == [.start])

            runner.restorePaused(RunnerTests.sample, elapsed: .seconds(10_000), startedAt: nil)
            #expect(runner.state == .paused)
            #expect(runner.elapsed == .seconds(230))
            try runner.resume()
            #expect(runner.nextDeadline == clock.now)
            #expect(runner.tick().map(\.cue.kind) == [.end])
            #expect(runner.state == .finished)
        }

        @Test func restoreReplacesARunWithPauses() throws {
            var (clock, runner, _) = RunnerTests.started()
            try runner.pause()
            clock.advance(by: .seconds(999))
            try runner.resume()
            runner.restorePaused(RunnerTests.sample, elapsed: .seconds(100), startedAt: nil)
            #expect(runner.elapsed == .seconds(100))
            clock.advance(by: .seconds(3))
            try runner.resume()
            // Round rest 85–145 s: countdown from 142 s.
            #expect(runner.nextDeadline == clock.now.advanced(by: .seconds(42)))
            // A fresh `start` is not restored.
            runner.start(RunnerTests.sample)
            #expect(!runner.restored)
            #expect(!runner.status.restored)
        }
    }
}
