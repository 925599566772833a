import GuideCore
import GuideTestSupport
import Testing

private let attosecond = Duration(secondsComponent: 0, attosecondsComponent: 1)

/// A duration in `0 ... limit` with attosecond-level noise.
private func irregular(upTo limit: Duration, _ rng: inout SplitMix64) -> Duration {
    let a = limit.attoseconds
    guard a > 0 else { return .zero }
    let high = Int128(rng.next()) << 64 | Int128(rng.next())
    return Duration(attoseconds: (high & Int128.max) % (a + 1))
}

extension RunnerTests {
    /// Zero drift over 12 h, and every cue accounted once in order, however the clock moves.
    @Suite struct Drift {
        typealias R = Runner<ManualClock>

        /// Exactly 12 h: 40 rounds of 1021.5 s (Reach 45.5 s ×2, Fold 300 s, Breathe 9.5 s,
        /// Lunge 310.5 s ×2) with 39 round rests of 60 s.
        static let twelveHours = Session(
            name: "long", title: "Long", rounds: 40, roundRest: .seconds(60),
            steps: [
                Step(name: "Reach", duration: .milliseconds(45_500), sides: true),
                Step(name: "Fold", duration: .seconds(300)),
                Step(name: "Breathe", duration: .milliseconds(9500), rest: true),
                Step(name: "Lunge", duration: .milliseconds(310_500), sides: true),
            ])

        @Test func theLongSessionIsTwelveHoursWithinTheLimits() {
            let timeline = Timeline(Self.twelveHours)
            #expect(timeline.total == .seconds(12 * 3600))
            #expect(timeline.total <= Session.maximumTotal)
            #expect(Self.twelveHours.steps.allSatisfy { Step.durationRange.contains($0.duration) })
            #expect(timeline.cues.count > 900)
        }

        @Test func twelveHoursWithTenThousandPausesFinishWithZeroDrift() throws {
            let clock = ManualClock(start: .init(.seconds(1_000_000)))
            var runner = R(clock: clock)
            runner.start(Self.twelveHours)
            let origin = clock.now
            let cues = try #require(runner.timeline?.cues)
            var rng = SplitMix64(state: 0x5EED)
            var pausedSum = Duration.zero
            var pauses = 0
            var fired: [CueFiring] = []
            var wrong = 0  // failures are counted so that one bug does not print 10,000 issues
            var endInstant: ManualClock.Instant?

            while var deadline = runner.nextDeadline {
                let cue = cues[fired.count]
                if deadline != origin.advanced(by: cue.offset + pausedSum) { wrong += 1 }
                // Spread 10,000 pauses over the cues: 0 to 20 before each, irregularly.
                let left = cues.count - fired.count
                let share = (10_000 - pauses) / left
                let here = left == 1 ? 10_000 - pauses : min(10_000 - pauses, Int(rng.next() % UInt64(2 * share + 1)))
                for _ in 0..<here {
                    clock.advance(by: irregular(upTo: clock.now.duration(to: deadline), &rng))
                    let before = runner.elapsed
                    try runner.pause()
                    let pause = irregular(upTo: .seconds(1800), &rng) + attosecond
                    clock.advance(by: pause)
                    if runner.elapsed != before || runner.nextDeadline != nil { wrong += 1 }
                    try runner.resume()
                    pausedSum += pause
                    pauses += 1
                    deadline = deadline.advanced(by: pause)
                    if runner.nextDeadline != deadline { wrong += 1 }
                    // Nothing sounds before its time.
                    if clock.now < deadline, !runner.tick().isEmpty { wrong += 1 }
                }
                clock.advance(to: deadline)
                let batch = runner.tick()
                if batch.map(\.cue) != [cue] { wrong += 1 }
                for firing in batch where firing.lateness != .zero || firing.disposition != .play { wrong += 1 }
                if cue.kind == .end { endInstant = clock.now }
                fired += batch
                if batch.isEmpty { break }
            }
            #expect(wrong == 0)
            #expect(pauses == 10_000)
            #expect(runner.state == .finished)
            #expect(fired.map(\.cue) == cues)
            #expect(endInstant == origin.advanced(by: .seconds(12 * 3600) + pausedSum))
            #expect(runner.elapsed == .seconds(12 * 3600))
        }

        /// The clock jumps irregularly (often past several due times at once), with pauses,
        /// skips of nothing, and ticks at odd moments: the union of what `tick()` returns is
        /// the timeline's cue list, in order, each exactly once, each with its true lateness.
        @Test(arguments: [1 as UInt64, 2, 3, 4])
        func everyCueIsAccountedOnceInOrderWhenTheClockJumps(seed: UInt64) throws {
            let clock = ManualClock()
            var runner = R(clock: clock)
            runner.start(Self.twelveHours)
            let origin = clock.now
            let cues = try #require(runner.timeline?.cues)
            var rng = SplitMix64(state: seed)
            var pausedSum = Duration.zero
            var fired: [CueFiring] = []
            var batches = 0
            var wrong = 0
            while runner.state != .finished {
                // Jumps of 0–240 s: some land between cues, many over several at once.
                clock.advance(by: irregular(upTo: .seconds(240), &rng))
                if rng.next() % 5 == 0 {
                    try runner.pause()
                    let pause = irregular(upTo: .seconds(600), &rng)
                    clock.advance(by: pause)
                    pausedSum += pause
                    try runner.resume()
                }
                let position = origin.duration(to: clock.now) - pausedSum
                let batch = runner.tick()
                batches += 1
                for firing in batch where firing.lateness != position - firing.cue.offset { wrong += 1 }
                Self.checkLatePolicy(batch, &wrong)
                fired += batch
            }
            #expect(wrong == 0)
            #expect(fired.map(\.cue) == cues)
            #expect(Set(fired.map(\.cue.index)).count == cues.count)
            #expect(batches < cues.count)  // the jumps did cover several cues at a time
        }

        /// The late-cue policy, checked on any batch.
        static func checkLatePolicy(_ batch: [CueFiring], _ wrong: inout Int) {
            let newestBoundary = batch.lastIndex { $0.cue.kind != .countdown }
            for (i, firing) in batch.enumerated() {
                let expected: CueFiring.Disposition =
                    firing.lateness <= R.lateTolerance || i == newestBoundary ? .play : .lateSilent
                if firing.disposition != expected { wrong += 1 }
            }
        }

        @Test func oneJumpPastTheWholeSessionAccountsForEverythingAtOnce() throws {
            let clock = ManualClock()
            var runner = R(clock: clock)
            runner.start(Self.twelveHours)
            clock.advance(by: .seconds(13 * 3600))
            let batch = runner.tick()
            let cues = try #require(runner.timeline?.cues)
            #expect(batch.map(\.cue) == cues)
            #expect(batch.filter { $0.disposition == .play }.map(\.cue.kind) == [.end])
            #expect(batch.last?.lateness == .seconds(3600))
            #expect(batch.first?.lateness == .seconds(13 * 3600))
            #expect(runner.state == .finished)
            #expect(runner.tick().isEmpty)
        }
    }
}
