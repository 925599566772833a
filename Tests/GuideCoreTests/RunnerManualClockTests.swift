import GuideCore
import GuideTestSupport
import Testing

extension RunnerTests {
    /// The test clock itself, and the daemon's pattern of sleeping on it until the runner's
    /// next deadline. Nothing here sleeps for real: tests await sleepers, then advance.
    // The limit only catches a hang: on a busy 2-core runner, tests that block a thread for
    // minutes (a release build, a sound server) can hold these back long before they run.
    @Suite(.timeLimit(.minutes(10))) struct ManualClockBehaviour {
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
            sleeper.cancel()  // a no-op once woken; if it was not, the test fails instead of hanging
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
            #expect(clock.pendingSleepers == 1)
            #expect(clock.nextSleeperDeadline == .init(.seconds(60)))
            early.cancel()  // no-ops once woken (they fail rather than hang otherwise)
            middle.cancel()
            try await early.value
            try await middle.value
            clock.advance(by: .seconds(30))
            #expect(clock.pendingSleepers == 0)
            late.cancel()
            try await late.value
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

        @Test func waitForSleepersCanBeCancelled() async throws {
            let clock = ManualClock()
            let waiter = Task { try await clock.waitForSleepers(2) }
            let sleeper = Task { try await clock.sleep(until: .init(.seconds(1)), tolerance: nil) }
            try await clock.waitForSleepers(1)
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            clock.advance(by: .seconds(1))
            sleeper.cancel()
            try await sleeper.value
        }

        /// The daemon's loop in miniature: sleep until `nextDeadline`, then `tick()`. The test
        /// awaits the engine's batches and advances the clock to whatever it is sleeping until.
        @Test func anEngineLoopSleepingOnTheClockHearsEveryCueOnTime() async throws {
            let clock = ManualClock()
            let (batches, sink) = AsyncStream.makeStream(of: [CueFiring].self)
            let engine = Task {
                defer { sink.finish() }
                var runner = Runner(clock: clock)
                runner.start(RunnerTests.sample)
                while let deadline = runner.nextDeadline {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    sink.yield(runner.tick())
                }
                return runner.timeline?.cues ?? []
            }
            var heard: [CueFiring] = []
            var advances = 0
            for await batch in batches {
                heard += batch
                if batch.last?.cue.kind == .end { break }
                try await clock.waitForSleepers(1)
                let deadline = try #require(clock.nextSleeperDeadline)
                clock.advance(to: deadline)
                advances += 1
                if clock.pendingSleepers != 0 {
                    Issue.record("advance(to:) did not wake the engine sleeping until \(deadline)")
                    engine.cancel()
                }
            }
            engine.cancel()  // a no-op once its loop is over; ends it if the test stopped early
            let cues = try await engine.value
            #expect(heard.map(\.cue) == cues)
            #expect(heard.allSatisfy { $0.lateness == .zero && $0.disposition == .play })
            #expect(advances == cues.count - 1)  // the start cue was due at once
            #expect(clock.now.offset == .seconds(230))
        }
    }
}
