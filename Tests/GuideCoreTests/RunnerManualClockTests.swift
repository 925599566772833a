import GuideCore
import GuideTestSupport
import Synchronization
import Testing

extension RunnerTests {
    /// The test clock itself, and the daemon's pattern of sleeping on it until the runner's
    /// next deadline. Nothing here sleeps for real: tests await sleepers, then advance.
    @Suite struct ManualClockBehaviour {
        @Test func advancesByAndTo() {
            let clock = ManualClock()
            #expect(clock.now == .init(.zero))
            clock.advance(by: .milliseconds(1500))
            #expect(clock.now == .init(.milliseconds(1500)))
            clock.advance(to: .init(.seconds(10)))
            #expect(clock.now.offset == .seconds(10))
            #expect(clock.now.duration(to: .init(.seconds(12))) == .seconds(2))
            #expect(clock.pendingSleepers == 0)
            #expect(clock.nextSleeperDeadline == nil)
        }

        @Test func sleepReturnsOnlyWhenTheClockReachesTheDeadline() async throws {
            let clock = ManualClock()
            let sleeper = Task { try await clock.sleep(until: .init(.seconds(5)), tolerance: nil) }
            try await clock.waitForSleepers(1)
            #expect(clock.pendingSleepers == 1)
            #expect(clock.nextSleeperDeadline == .init(.seconds(5)))
            clock.advance(by: .seconds(4))
            #expect(clock.pendingSleepers == 1)  // not yet
            clock.advance(by: .seconds(1))
            #expect(clock.pendingSleepers == 0)
            try await sleeper.value
        }

        @Test func sleepUntilThePastReturnsAtOnce() async throws {
            let clock = ManualClock(start: .init(.seconds(10)))
            try await clock.sleep(until: .init(.seconds(10)), tolerance: nil)
            try await clock.sleep(until: .init(.seconds(3)), tolerance: nil)
            try await clock.sleep(for: .zero)
            #expect(clock.pendingSleepers == 0)
        }

        @Test func oneAdvanceWakesEverySleeperThatIsDueAndNoOther() async throws {
            let clock = ManualClock()
            let early = Task { try await clock.sleep(until: .init(.seconds(1)), tolerance: nil) }
            let middle = Task { try await clock.sleep(for: .seconds(2)) }
            let late = Task { try await clock.sleep(until: .init(.seconds(60)), tolerance: nil) }
            try await clock.waitForSleepers(3)
            clock.advance(to: .init(.seconds(30)))
            try await early.value
            try await middle.value
            #expect(clock.pendingSleepers == 1)
            clock.advance(by: .seconds(30))
            try await late.value
            #expect(clock.pendingSleepers == 0)
        }

        @Test func cancellingASleeperThrowsAndForgetsIt() async throws {
            let clock = ManualClock()
            let sleeper = Task { try await clock.sleep(until: .init(.seconds(5)), tolerance: nil) }
            try await clock.waitForSleepers(1)
            sleeper.cancel()
            await #expect(throws: CancellationError.self) { try await sleeper.value }
            #expect(clock.pendingSleepers == 0)
            // A task cancelled before it sleeps throws too, without registering.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await clock.sleep(until: .init(.seconds(5)), tolerance: nil)
            }
            await #expect(throws: CancellationError.self) { try await early.value }
            #expect(clock.pendingSleepers == 0)
        }

        /// The daemon's loop in miniature: sleep until `nextDeadline`, then `tick()`. The test
        /// advances the clock straight to whatever the loop is sleeping until.
        @Test func anEngineLoopSleepingOnTheClockHearsEveryCueOnTime() async throws {
            let clock = ManualClock()
            let heard = Mutex<[CueFiring]>([])
            let engine = Task {
                var runner = Runner(clock: clock)
                runner.start(RunnerTests.sample)
                while let deadline = runner.nextDeadline {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    let batch = runner.tick()
                    heard.withLock { $0 += batch }
                }
                return runner.timeline?.cues ?? []
            }
            var advances = 0
            while heard.withLock({ $0.last?.cue.kind != .end }) {
                try await clock.waitForSleepers(1)
                let deadline = try #require(clock.nextSleeperDeadline)
                clock.advance(to: deadline)
                advances += 1
                // Let the engine record the batch before looking at it again.
                while clock.pendingSleepers == 0, heard.withLock({ $0.last?.cue.kind != .end }) {
                    await Task.yield()
                }
            }
            let cues = try await engine.value
            let all = heard.withLock { $0 }
            #expect(all.map(\.cue) == cues)
            #expect(all.allSatisfy { $0.lateness == .zero && $0.disposition == .play })
            #expect(advances == cues.count - 1)  // the start cue was due at once
            #expect(clock.now.offset == .seconds(230))
        }
    }
}
