import GuideCore
import GuideTestSupport
import Testing

/// The runner's commands and status, driven by a manual clock (docs/session-format.md "Timing", docs/protocol.md "The status object").
@Suite struct RunnerTests {
    typealias R = Runner<ManualClock>

    /// Reach 30 s · Lunge 20 s per side · Breathe 15 s (rest) · 2 rounds, 60 s between.
    /// Segments: 0 Reach 0–30, 1 Lunge L 30–50, 2 Lunge R 50–70, 3 Breathe 70–85,
    /// 4 round rest 85–145, 5 Reach 145–175, 6 L 175–195, 7 R 195–215, 8 Breathe 215–230.
    static let sample = Session(
        name: "sample", title: "Sample", rounds: 2, roundRest: .seconds(60),
        steps: [
            Step(name: "Reach", duration: .seconds(30), instructions: "Arms up"),
            Step(name: "Lunge", duration: .seconds(20), sides: true),
            Step(name: "Breathe", duration: .seconds(15), rest: true),
        ])

    static let startedAt = "2025-06-01T18:30:00Z"

    /// A clock that has already been running a while (so that origin ≠ zero) and a runner
    /// that has just started `session` on it; returns the start instant too.
    static func started(_ session: Session = sample) -> (ManualClock, R, ManualClock.Instant) {
        let clock = ManualClock(start: .init(.seconds(86_400)))
        clock.advance(by: Duration(secondsComponent: 17, attosecondsComponent: 123_456_789))
        var runner = R(clock: clock)
        runner.start(session, startedAt: startedAt)
        return (clock, runner, clock.now)
    }

    /// Advances exactly to each deadline and ticks, while the next deadline is at or before
    /// `limit` (an elapsed time, with no pause taken); returns what the ticks accounted for.
    @discardableResult
    static func walk(
        _ clock: ManualClock, _ runner: inout R, from origin: ManualClock.Instant, through limit: Duration
    ) -> [CueFiring] {
        var fired: [CueFiring] = []
        while let deadline = runner.nextDeadline, deadline <= origin.advanced(by: limit) {
            clock.advance(to: deadline)
            fired += runner.tick()
        }
        return fired
    }

    static func expectNotAllowed(
        _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try body()
            Issue.record("expected notAllowed, but the command succeeded", sourceLocation: sourceLocation)
        } catch {
            guard case .notAllowed = error as? R.Failure else {
                Issue.record("expected notAllowed, got \(error)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    struct Next: Equatable {
        var name: String, side: Side?, duration: Double
    }

    static func next(_ status: Status) -> Next? {
        status.next.map { Next(name: $0.name, side: $0.side, duration: $0.duration) }
    }

    static func round(_ status: Status) -> [Int]? {
        status.round.map { [$0.index, $0.count] }
    }

    static func cue(_ runner: R, _ kind: CueKind, at seconds: Int) -> Cue? {
        runner.timeline?.cues.first { $0.kind == kind && $0.offset == .seconds(seconds) }
    }

    // MARK: - Start

    @Test func idleBeforeStart() {
        let clock = ManualClock()
        var runner = R(clock: clock)
        #expect(runner.state == .idle)
        #expect(runner.nextDeadline == nil)
        #expect(runner.status == .idle)
        #expect(runner.elapsed == .zero)
        #expect(runner.tick().isEmpty)
    }

    @Test func startThenTickPlaysTheStartCue() throws {
        var (clock, runner, origin) = Self.started()
        #expect(runner.state == .running)
        #expect(runner.nextDeadline == origin)
        let first = runner.tick()
        let timeline = try #require(runner.timeline)
        #expect(first.map(\.cue) == [timeline.cues[0]])
        #expect(first.first?.cue.kind == .start)
        #expect(first.first?.lateness == .zero)
        #expect(first.first?.disposition == .play)
        #expect(runner.tick().isEmpty)
        // Next: Reach's countdown at 27 s.
        #expect(runner.nextDeadline == origin.advanced(by: .seconds(27)))
        clock.advance(by: .seconds(27) - Duration(secondsComponent: 0, attosecondsComponent: 1))
        #expect(runner.tick().isEmpty)
        clock.advance(by: Duration(secondsComponent: 0, attosecondsComponent: 1))
        #expect(runner.tick().map(\.cue.kind) == [.countdown])
    }

    // MARK: - Status

    @Test func statusFieldsThroughTheSession() throws {
        var (clock, runner, origin) = Self.started()
        _ = runner.tick()
        var status = runner.status
        #expect(status.state == .running)
        #expect(status.session == "sample")
        #expect(status.title == "Sample")
        #expect(status.step?.index == 1)
        #expect(status.step?.count == 3)
        #expect(status.step?.name == "Reach")
        #expect(status.step?.side == nil)
        #expect(status.step?.rest == false)
        #expect(status.step?.duration == 30)
        #expect(status.step?.remaining == 30)
        #expect(status.step?.instructions == "Arms up")
        #expect(Self.round(status) == [1, 2])
        #expect(status.elapsed == 0)
        #expect(status.remaining == 230)
        #expect(status.total == 230)
        #expect(Self.next(status) == Self.Next(name: "Lunge", side: Side.left, duration: 20))
        #expect(status.startedAt == Self.startedAt)
        #expect(status.restored == false)
        #expect(status.audio == nil)

        Self.walk(clock, &runner, from: origin, through: .milliseconds(37_500))
        clock.advance(to: origin.advanced(by: .milliseconds(37_500)))
        status = runner.status
        #expect(status.step?.index == 2)
        #expect(status.step?.name == "Lunge")
        #expect(status.step?.side == .left)
        #expect(status.step?.remaining == 12.5)
        #expect(status.elapsed == 37.5)
        #expect(status.remaining == 192.5)
        #expect(Self.next(status) == Self.Next(name: "Lunge", side: Side.right, duration: 20))

        Self.walk(clock, &runner, from: origin, through: .seconds(55))
        clock.advance(to: origin.advanced(by: .seconds(55)))
        status = runner.status
        #expect(status.step?.side == .right)
        #expect(status.step?.remaining == 15)
        #expect(Self.next(status) == Self.Next(name: "Breathe", side: nil, duration: 15))

        Self.walk(clock, &runner, from: origin, through: .seconds(100))
        clock.advance(to: origin.advanced(by: .seconds(100)))
        status = runner.status
        #expect(status.step?.name == "Rest before round 2")
        #expect(status.step?.rest == true)
        #expect(status.step?.remaining == 45)
        #expect(status.step?.duration == 60)
        #expect(Self.round(status) == [1, 2])
        #expect(Self.next(status) == Self.Next(name: "Reach", side: nil, duration: 30))

        Self.walk(clock, &runner, from: origin, through: .seconds(150))
        clock.advance(to: origin.advanced(by: .seconds(150)))
        status = runner.status
        #expect(status.step?.index == 1)
        #expect(status.step?.name == "Reach")
        #expect(Self.round(status) == [2, 2])

        Self.walk(clock, &runner, from: origin, through: .seconds(220))
        clock.advance(to: origin.advanced(by: .seconds(220)))
        status = runner.status
        #expect(status.step?.index == 3)
        #expect(status.step?.name == "Breathe")
        #expect(status.step?.remaining == 10)
        #expect(status.remaining == 10)
        #expect(status.next == nil)  // the last step
        #expect(status.state == .running)

        let rest = Self.walk(clock, &runner, from: origin, through: .seconds(230))
        #expect(rest.last?.cue.kind == .end)
        status = runner.status
        #expect(runner.state == .finished)
        #expect(status.state == .finished)
        #expect(status.step?.remaining == 0)
        #expect(status.elapsed == 230)
        #expect(status.remaining == 0)
        #expect(status.next == nil)
        #expect(status.progress == 100)
        // Time after the end changes nothing.
        clock.advance(by: .seconds(3600))
        #expect(runner.status == status)
        #expect(runner.tick().isEmpty)
    }

    // MARK: - Pause

    @Test func pauseFreezesRemainingExactly() throws {
        var (clock, runner, _) = Self.started()
        _ = runner.tick()
        let into = Duration(secondsComponent: 12, attosecondsComponent: 345_678_901_234_567_891)
        clock.advance(by: into)
        try runner.pause()
        #expect(runner.state == .paused)
        #expect(runner.elapsed == into)
        let frozen = runner.status
        #expect(frozen.state == .paused)
        clock.advance(by: .seconds(3600) + Duration(secondsComponent: 0, attosecondsComponent: 1))
        #expect(runner.elapsed == into)  // to the attosecond
        #expect(runner.status == frozen)
        #expect(runner.nextDeadline == nil)
        #expect(runner.tick().isEmpty)
        try runner.resume()
        #expect(runner.state == .running)
        #expect(runner.elapsed == into)
        clock.advance(by: Duration(secondsComponent: 0, attosecondsComponent: 1))
        #expect(runner.elapsed == into + Duration(secondsComponent: 0, attosecondsComponent: 1))
    }

    @Test func anHourOfPauseInASideStepDelaysTheSideCueByExactlyAnHour() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(40))
        clock.advance(to: origin.advanced(by: .seconds(40)))  // 10 s into Lunge (left)
        try runner.pause()
        clock.advance(by: .seconds(3600))
        try runner.resume()
        let hour = Duration.seconds(3600)
        #expect(runner.nextDeadline == origin.advanced(by: .seconds(47) + hour))
        var seen: [(CueFiring, ManualClock.Instant)] = []
        while let deadline = runner.nextDeadline, seen.last?.0.cue.kind != .side {
            clock.advance(to: deadline)
            seen += runner.tick().map { ($0, clock.now) }
        }
        #expect(seen.map(\.0.cue.offset) == [.seconds(47), .seconds(48), .seconds(49), .seconds(50)])
        for (firing, instant) in seen {
            #expect(instant == origin.advanced(by: firing.cue.offset + hour))
            #expect(firing.lateness == .zero)
            #expect(firing.disposition == .play)
        }
        let side = try #require(seen.last)
        #expect(side.0.cue.kind == .side)
        #expect(side.1 == origin.advanced(by: .seconds(50) + hour))
    }

    @Test func toggleFlipsBetweenRunningAndPaused() throws {
        var (clock, runner, _) = Self.started()
        clock.advance(by: .seconds(5))
        try runner.toggle()
        #expect(runner.state == .paused)
        clock.advance(by: .seconds(100))
        #expect(runner.elapsed == .seconds(5))
        try runner.toggle()
        #expect(runner.state == .running)
        #expect(runner.elapsed == .seconds(5))
        clock.advance(by: .seconds(1))
        #expect(runner.elapsed == .seconds(6))
        try runner.stop()
        Self.expectNotAllowed { try runner.toggle() }
    }

    // MARK: - Skip

    @Test func skipAtTheFirstSegment() throws {
        var (clock, runner, origin) = Self.started()
        _ = runner.tick()
        clock.advance(by: .seconds(5))
        let skipped = try runner.skip()
        #expect(skipped.map(\.cue.offset) == [.seconds(27), .seconds(28), .seconds(29)])
        #expect(skipped.allSatisfy { $0.disposition == .skipped && $0.lateness == .zero && $0.cue.kind == .countdown })
        #expect(runner.state == .running)
        #expect(runner.elapsed == .seconds(30))
        #expect(runner.status.step?.name == "Lunge")
        #expect(runner.status.step?.remaining == 20)
        #expect(runner.nextDeadline == clock.now)
        let fired = runner.tick()
        #expect(fired.map(\.cue) == [Self.cue(runner, .step, at: 30)].compactMap { $0 })
        #expect(fired.first?.disposition == .play)
        #expect(fired.first?.lateness == .zero)
        // From here on the session runs 25 s ahead of the clock.
        #expect(runner.nextDeadline == origin.advanced(by: .seconds(5 + 17)))
    }

    @Test func skipInTheMiddleAccountsForEachCueOnce() throws {
        var (clock, runner, origin) = Self.started()
        // 48.5 s: Lunge (left)'s countdown ticks at 47 and 48 have sounded, 49 has not.
        let before = Self.walk(clock, &runner, from: origin, through: .milliseconds(48_500))
        clock.advance(to: origin.advanced(by: .milliseconds(48_500)))
        let skipped = try runner.skip()
        #expect(skipped.map(\.cue.offset) == [.seconds(49)])
        let after = Self.walk(clock, &runner, from: origin, through: .seconds(10_000))
        let all = (before + skipped + after).map(\.cue)
        #expect(all == runner.timeline?.cues)
        #expect(runner.state == .finished)
    }

    @Test func skipFromTheRoundRest() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(100))
        clock.advance(to: origin.advanced(by: .seconds(100)))
        let skipped = try runner.skip()
        #expect(skipped.map(\.cue.offset) == [.seconds(142), .seconds(143), .seconds(144)])
        #expect(runner.elapsed == .seconds(145))
        #expect(runner.status.round?.index == 2)
        #expect(runner.tick().map(\.cue.kind) == [.step])
    }

    @Test func skipOnTheLastSegmentMakesTheEndCueDue() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(220))
        clock.advance(to: origin.advanced(by: .seconds(220)))
        let skipped = try runner.skip()
        #expect(skipped.map(\.cue.offset) == [.seconds(227), .seconds(228), .seconds(229)])
        #expect(skipped.allSatisfy { $0.disposition == .skipped })
        #expect(runner.state == .running)
        #expect(runner.elapsed == .seconds(230))
        #expect(runner.nextDeadline == clock.now)
        let fired = runner.tick()
        #expect(fired.map(\.cue.kind) == [.end])
        #expect(fired.first?.disposition == .play)
        #expect(fired.first?.lateness == .zero)
        #expect(runner.state == .finished)
        #expect(runner.nextDeadline == nil)
        Self.expectNotAllowed { _ = try runner.skip() }
    }

    @Test func skipWhilePausedStaysPausedWithTheNextSegmentsFullDuration() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(40))
        clock.advance(to: origin.advanced(by: .seconds(40)))
        try runner.pause()
        let skipped = try runner.skip()
        #expect(skipped.map(\.cue.offset) == [.seconds(47), .seconds(48), .seconds(49)])
        #expect(runner.state == .paused)
        #expect(runner.nextDeadline == nil)
        #expect(runner.elapsed == .seconds(50))
        #expect(runner.status.step?.side == .right)
        #expect(runner.status.step?.remaining == 20)
        clock.advance(by: .seconds(600))
        #expect(runner.status.step?.remaining == 20)
        #expect(runner.tick().isEmpty)
        try runner.resume()
        #expect(runner.nextDeadline == clock.now)
        let fired = runner.tick()
        #expect(fired.map(\.cue.kind) == [.side])
        #expect(fired.first?.lateness == .zero)
    }

    // MARK: - Back

    @Test func backWithinThreeSecondsGoesToThePreviousSegment() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(50))  // the side cue at 50 has sounded
        clock.advance(by: .seconds(3) - Duration(secondsComponent: 0, attosecondsComponent: 1))
        try runner.back()
        #expect(runner.elapsed == .seconds(30))
        #expect(runner.status.step?.side == .left)
        #expect(runner.status.step?.remaining == 20)
        #expect(runner.nextDeadline == clock.now)
        let fired = runner.tick()
        #expect(fired.map(\.cue.kind) == [.step])
        #expect(fired.first?.cue.offset == .seconds(30))
        #expect(fired.first?.lateness == .zero)
        #expect(runner.nextDeadline == clock.now.advanced(by: .seconds(17)))
    }

    @Test func backAfterThreeSecondsRestartsTheCurrentSegment() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(50))
        clock.advance(by: .seconds(3))  // exactly 3 s in: restart
        try runner.back()
        #expect(runner.elapsed == .seconds(50))
        #expect(runner.status.step?.side == .right)
        #expect(runner.tick().map(\.cue.kind) == [.side])

        clock.advance(by: .seconds(19))  // 19 s into the right side, past its countdown
        let fired = runner.tick()
        #expect(fired.map(\.cue.kind) == [.countdown, .countdown, .countdown])
        try runner.back()
        #expect(runner.elapsed == .seconds(50))
        // The countdown sounds again in the replayed segment.
        #expect(runner.nextDeadline == clock.now)
        #expect(runner.tick().map(\.cue.kind) == [.side])
        #expect(runner.nextDeadline == clock.now.advanced(by: .seconds(17)))
    }

    @Test(arguments: [Duration.zero, .seconds(1), .milliseconds(2999), .seconds(3), .seconds(20)])
    func backOnTheFirstSegmentRestartsIt(after: Duration) throws {
        var (clock, runner, _) = Self.started()
        _ = runner.tick()
        clock.advance(by: after)
        _ = runner.tick()
        try runner.back()
        #expect(runner.elapsed == .zero)
        #expect(runner.status.step?.remaining == 30)
        #expect(runner.tick().map(\.cue.kind) == [.start])
    }

    @Test func backWhilePausedStaysPaused() throws {
        var (clock, runner, origin) = Self.started()
        Self.walk(clock, &runner, from: origin, through: .seconds(60))
        clock.advance(to: origin.advanced(by: .seconds(60)))
        try runner.pause()
        try runner.back()
        #expect(runner.state == .paused)
        #expect(runner.nextDeadline == nil)
        #expect(runner.elapsed == .seconds(50))
        clock.advance(by: .seconds(30))
        #expect(runner.status.step?.remaining == 20)
        try runner.resume()
        #expect(runner.tick().map(\.cue.kind) == [.side])
    }

    // MARK: - Stop and errors

    @Test func stopReturnsToIdle() throws {
        var (clock, runner, _) = Self.started()
        _ = runner.tick()
        clock.advance(by: .seconds(10))
        try runner.stop()
        #expect(runner.state == .idle)
        #expect(runner.status == .idle)
        #expect(runner.session == nil)
        #expect(runner.timeline == nil)
        #expect(runner.nextDeadline == nil)
        #expect(runner.tick().isEmpty)
        Self.expectNotAllowed { try runner.stop() }
        // A new start begins afresh.
        runner.start(Self.sample)
        #expect(runner.elapsed == .zero)
        #expect(runner.nextDeadline == clock.now)
        #expect(runner.tick().map(\.cue.kind) == [.start])
    }

    @Test func stopWhilePausedAndAfterFinishing() throws {
        var (clock, runner, _) = Self.started()
        try runner.pause()
        try runner.stop()
        #expect(runner.state == .idle)
        runner.start(Self.sample)
        Self.walk(clock, &runner, from: clock.now, through: .seconds(10_000))
        #expect(runner.state == .finished)
        try runner.stop()
        #expect(runner.state == .idle)
    }

    @Test func commandsInTheWrongStateAreNotAllowed() throws {
        let clock = ManualClock()
        var runner = R(clock: clock)
        // Idle.
        Self.expectNotAllowed { try runner.pause() }
        Self.expectNotAllowed { try runner.resume() }
        Self.expectNotAllowed { try runner.toggle() }
        Self.expectNotAllowed { _ = try runner.skip() }
        Self.expectNotAllowed { try runner.back() }
        Self.expectNotAllowed { try runner.stop() }
        #expect(runner.state == .idle)
        // Running.
        runner.start(Self.sample)
        Self.expectNotAllowed { try runner.resume() }
        #expect(runner.state == .running)
        // Paused.
        try runner.pause()
        Self.expectNotAllowed { try runner.pause() }
        #expect(runner.state == .paused)
        // Finished.
        try runner.resume()
        clock.advance(by: .seconds(231))
        _ = runner.tick()
        #expect(runner.state == .finished)
        Self.expectNotAllowed { try runner.pause() }
        Self.expectNotAllowed { try runner.resume() }
        Self.expectNotAllowed { try runner.toggle() }
        Self.expectNotAllowed { _ = try runner.skip() }
        Self.expectNotAllowed { try runner.back() }
        #expect(runner.state == .finished)
    }

    // MARK: - Deadlines

    @Test func nextDeadlineIsOriginPlusOffsetWhileRunningAndNilOtherwise() throws {
        let clock = ManualClock(start: .init(.seconds(5)))
        var runner = R(clock: clock)
        #expect(runner.nextDeadline == nil)
        runner.start(Self.sample)
        let origin = clock.now
        let cues = try #require(runner.timeline?.cues)
        var count = 0
        while let deadline = runner.nextDeadline {
            #expect(deadline == origin.advanced(by: cues[count].offset))
            clock.advance(to: deadline)
            let fired = runner.tick()
            #expect(fired.map(\.cue) == [cues[count]])
            count += 1
            if count == 5 {
                try runner.pause()
                #expect(runner.nextDeadline == nil)
                try runner.resume()  // a pause of zero length moves nothing
            }
        }
        #expect(count == cues.count)
        #expect(runner.state == .finished)
        #expect(runner.nextDeadline == nil)
    }
}
