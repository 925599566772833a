import GuideCore
import Testing

/// The timeline is pure: a session in, segments and cues out (docs/session-format.md).
@Suite struct TimelineTests {
    // Reach 10 s · Lunge 12 s per side · Breathe 9 s (rest) · 2 rounds with 20 s between.
    static let sample = Session(
        name: "sample", title: "Sample", rounds: 2, roundRest: .seconds(20),
        steps: [
            Step(name: "Reach", duration: .seconds(10)),
            Step(name: "Lunge", duration: .seconds(12), sides: true),
            Step(name: "Breathe", duration: .seconds(9), rest: true),
        ])

    struct SegmentRow: Equatable, CustomStringConvertible {
        var name: String, side: Side?, rest: Bool, roundRest: Bool, round: Int, step: Int
        var offset: Int, duration: Int
        var description: String { "\(name) \(side.map(\.rawValue) ?? "-") r\(round) @\(offset)+\(duration)" }
    }

    static func rows(_ timeline: Timeline) -> [SegmentRow] {
        timeline.segments.map {
            SegmentRow(
                name: $0.name, side: $0.side, rest: $0.rest, roundRest: $0.isRoundRest, round: $0.round,
                step: $0.stepIndex, offset: Int($0.offset.components.seconds),
                duration: Int($0.duration.components.seconds))
        }
    }

    struct CueRow: Equatable, CustomStringConvertible {
        var kind: CueKind, at: Duration, segment: Int, left: Int
        init(_ kind: CueKind, _ at: Duration, _ segment: Int, _ left: Int = 0) {
            (self.kind, self.at, self.segment, self.left) = (kind, at, segment, left)
        }
        var description: String { "\(kind)@\(at) seg\(segment)\(left > 0 ? " -\(left)" : "")" }
    }

    static func cueRows(_ timeline: Timeline) -> [CueRow] {
        timeline.cues.map { CueRow($0.kind, $0.offset, $0.segment, $0.secondsLeft) }
    }

    /// Countdown ticks of a segment that ends at `end` (whole seconds).
    static func countdown(endingAt end: Int, _ segment: Int) -> [CueRow] {
        [3, 2, 1].map { CueRow(.countdown, .seconds(end - $0), segment, $0) }
    }

    @Test func expandsStepsSidesAndRoundsWithRestBetweenRoundsOnly() {
        let timeline = Timeline(Self.sample)
        let expected: [SegmentRow] = [
            .init(name: "Reach", side: nil, rest: false, roundRest: false, round: 1, step: 0, offset: 0, duration: 10),
            .init(name: "Lunge", side: .left, rest: false, roundRest: false, round: 1, step: 1, offset: 10, duration: 12),
            .init(name: "Lunge", side: .right, rest: false, roundRest: false, round: 1, step: 1, offset: 22, duration: 12),
            .init(name: "Breathe", side: nil, rest: true, roundRest: false, round: 1, step: 2, offset: 34, duration: 9),
            .init(
                name: "Rest before round 2", side: nil, rest: true, roundRest: true, round: 1, step: 2, offset: 43,
                duration: 20),
            .init(name: "Reach", side: nil, rest: false, roundRest: false, round: 2, step: 0, offset: 63, duration: 10),
            .init(name: "Lunge", side: .left, rest: false, roundRest: false, round: 2, step: 1, offset: 73, duration: 12),
            .init(name: "Lunge", side: .right, rest: false, roundRest: false, round: 2, step: 1, offset: 85, duration: 12),
            .init(name: "Breathe", side: nil, rest: true, roundRest: false, round: 2, step: 2, offset: 97, duration: 9),
        ]
        #expect(Self.rows(timeline) == expected)
        #expect(timeline.segments.map(\.index) == Array(0..<9))
        #expect(timeline.total == .seconds(106))
        #expect(timeline.segments.last?.end == timeline.total)
    }

    @Test func roundsWithoutRoundRestFollowEachOtherDirectly() {
        var session = Self.sample
        session.roundRest = nil
        session.rounds = 3
        let timeline = Timeline(session)
        #expect(timeline.segments.count == 12)
        #expect(timeline.segments.filter(\.isRoundRest).isEmpty)
        #expect(timeline.segments.map(\.round) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        #expect(timeline.segments[4].offset == .seconds(43))
        #expect(timeline.total == .seconds(129))
    }

    @Test func oneRoundNeverGetsARoundRest() {
        var session = Self.sample
        session.rounds = 1
        session.roundRest = .seconds(300)
        let timeline = Timeline(session)
        #expect(timeline.segments.count == 4)
        #expect(timeline.segments.filter(\.isRoundRest).isEmpty)
        #expect(timeline.total == .seconds(43))
        #expect(timeline.cues.last?.kind == .end)
        #expect(timeline.cues.last?.offset == .seconds(43))
    }

    @Test func everySegmentStartsWhereThePreviousEnded() {
        var session = Self.sample
        session.rounds = 5
        session.roundRest = .milliseconds(1500)
        let timeline = Timeline(session)
        #expect(timeline.segments.first?.offset == .zero)
        for (a, b) in zip(timeline.segments, timeline.segments.dropFirst()) {
            #expect(b.offset == a.end, "\(b.name) #\(b.index)")
        }
        #expect(timeline.segments.filter(\.isRoundRest).count == 4)
        #expect(timeline.segments.last?.isRoundRest == false)
    }

    static let totalCases: [Session] = [
        sample,
        Session(name: "one", title: "One", steps: [Step(name: "Hold", duration: .seconds(1))]),
        Session(
            name: "sides", title: "Sides", rounds: 7, roundRest: .milliseconds(2500),
            steps: [Step(name: "A", duration: .milliseconds(45_250), sides: true), Step(name: "B", duration: .seconds(3))]),
        Session(
            name: "long", title: "Long", rounds: 3, roundRest: .seconds(600),
            steps: [Step(name: "Soak", duration: .seconds(4 * 3600 - 400))]),
        Session(
            name: "many", title: "Many", rounds: 100, roundRest: .seconds(1),
            steps: (0..<50).map { Step(name: "S\($0)", duration: .milliseconds(1000 + $0), sides: $0.isMultiple(of: 3)) }),
    ]

    @Test(arguments: totalCases)
    func totalDurationMatchesTheExpandedTimeline(_ session: Session) {
        let timeline = Timeline(session)
        #expect(Timeline.totalDuration(of: session) == timeline.total)
        #expect(timeline.segments.reduce(Duration.zero) { $0 + $1.duration } == timeline.total)
        #expect(timeline.segments.last?.end == timeline.total)
        let perRound = session.steps.reduce(0) { $0 + ($1.sides ? 2 : 1) }
        let rests = session.roundRest == nil ? 0 : session.rounds - 1
        #expect(timeline.segments.count == perRound * session.rounds + rests)
    }

    @Test func cuesOfTheSampleSession() {
        let timeline = Timeline(Self.sample)
        let expected: [CueRow] =
            [CueRow(.start, .seconds(0), 0)] + Self.countdown(endingAt: 10, 0)
            + [CueRow(.step, .seconds(10), 1)] + Self.countdown(endingAt: 22, 1)
            + [CueRow(.side, .seconds(22), 2)] + Self.countdown(endingAt: 34, 2)
            + [CueRow(.rest, .seconds(34), 3)]  // 9 s: no countdown
            + [CueRow(.rest, .seconds(43), 4)] + Self.countdown(endingAt: 63, 4)  // the round rest
            + [CueRow(.step, .seconds(63), 5)] + Self.countdown(endingAt: 73, 5)
            + [CueRow(.step, .seconds(73), 6)] + Self.countdown(endingAt: 85, 6)
            + [CueRow(.side, .seconds(85), 7)] + Self.countdown(endingAt: 97, 7)
            + [CueRow(.rest, .seconds(97), 8)]
            + [CueRow(.end, .seconds(106), 8)]
        #expect(Self.cueRows(timeline) == expected)
        #expect(timeline.cues.map(\.index) == Array(0..<expected.count))
    }

    @Test func theFirstSegmentGetsStartEvenWhenItIsARestOrTwoSided() {
        let restFirst = Timeline(
            Session(
                name: "r", title: "R",
                steps: [Step(name: "Settle", duration: .seconds(5), rest: true), Step(name: "Go", duration: .seconds(5))]))
        #expect(restFirst.cues.map(\.kind) == [.start, .step, .end])

        let sidesFirst = Timeline(
            Session(name: "s", title: "S", steps: [Step(name: "Twist", duration: .seconds(5), sides: true)]))
        #expect(Self.cueRows(sidesFirst) == [CueRow(.start, .zero, 0), CueRow(.side, .seconds(5), 1), CueRow(.end, .seconds(10), 1)])
        #expect(sidesFirst.cues.filter { $0.kind == .step }.isEmpty)
    }

    @Test func onlyTheRightSideGetsTheSideCue() {
        let timeline = Timeline(
            Session(
                name: "s", title: "S", rounds: 2,
                steps: [
                    Step(name: "Warm", duration: .seconds(2)),
                    Step(name: "Twist", duration: .seconds(5), sides: true),
                    Step(name: "Lie", duration: .seconds(5), sides: true, rest: true),
                ]))
        let starts = timeline.cues.filter { $0.kind != .countdown && $0.kind != .end }
        #expect(starts.count == timeline.segments.count)
        for cue in starts {
            let segment = timeline.segments[cue.segment]
            #expect(cue.offset == segment.offset)
            let expected: CueKind =
                segment.index == 0 ? .start : segment.side == .right ? .side : segment.rest ? .rest : .step
            #expect(cue.kind == expected, "segment \(segment.index) \(segment.name) \(String(describing: segment.side))")
        }
        #expect(starts.map(\.kind) == [.start, .step, .side, .rest, .side, .step, .step, .side, .rest, .side])
    }

    @Test(arguments: [
        (Duration.seconds(9), 0), (.milliseconds(9999), 0), (.seconds(10), 3), (.milliseconds(10_001), 3),
        (.seconds(1), 0), (.seconds(4 * 3600), 3),
    ])
    func countdownOnlyForSegmentsOfTenSecondsOrMore(duration: Duration, ticks: Int) {
        let timeline = Timeline(
            Session(
                name: "c", title: "C",
                steps: [Step(name: "A", duration: duration), Step(name: "B", duration: .seconds(2))]))
        let countdown = timeline.cues.filter { $0.kind == .countdown }
        #expect(countdown.count == ticks)
        if ticks == 3 {
            #expect(countdown.map(\.offset) == [duration - .seconds(3), duration - .seconds(2), duration - .seconds(1)])
            #expect(countdown.map(\.secondsLeft) == [3, 2, 1])
            #expect(countdown.allSatisfy { $0.segment == 0 })
        }
        #expect(timeline.cues.filter { $0.kind != .countdown }.allSatisfy { $0.secondsLeft == 0 })
    }

    @Test func countdownOfAFractionalSegmentAndOfTheLastSegment() {
        let timeline = Timeline(
            Session(
                name: "f", title: "F",
                steps: [Step(name: "A", duration: .milliseconds(10_500)), Step(name: "B", duration: .seconds(10))]))
        #expect(
            Self.cueRows(timeline) == [
                CueRow(.start, .zero, 0),
                CueRow(.countdown, .milliseconds(7500), 0, 3), CueRow(.countdown, .milliseconds(8500), 0, 2),
                CueRow(.countdown, .milliseconds(9500), 0, 1),
                CueRow(.step, .milliseconds(10_500), 1),
                CueRow(.countdown, .milliseconds(17_500), 1, 3), CueRow(.countdown, .milliseconds(18_500), 1, 2),
                CueRow(.countdown, .milliseconds(19_500), 1, 1),
                CueRow(.end, .milliseconds(20_500), 1),
            ])
    }

    @Test(arguments: totalCases)
    func cuesAreSortedIndexedAndEndWithEnd(_ session: Session) {
        let timeline = Timeline(session)
        #expect(timeline.cues.map(\.index) == Array(timeline.cues.indices))
        #expect(zip(timeline.cues, timeline.cues.dropFirst()).allSatisfy { $0.offset < $1.offset })
        #expect(timeline.cues.filter { $0.kind == .end }.count == 1)
        #expect(timeline.cues.last?.kind == .end)
        #expect(timeline.cues.last?.offset == timeline.total)
        #expect(timeline.cues.last?.segment == timeline.segments.count - 1)
        #expect(timeline.cues.filter { $0.kind == .start }.map(\.offset) == [.zero])
        for cue in timeline.cues where cue.kind == .countdown {
            #expect(timeline.segments[cue.segment].end - .seconds(cue.secondsLeft) == cue.offset)
        }
    }

    @Test func theLargestSessionWithinTheLimitsExpands() {
        // 500 two-sided 1 s steps × 43 rounds with 1 s between: just under 12 h.
        let session = Session(
            name: "big", title: "Big", rounds: 43, roundRest: .seconds(1),
            steps: (0..<500).map { Step(name: "S\($0)", duration: .seconds(1), sides: true) })
        let timeline = Timeline(session)
        #expect(timeline.segments.count == 43 * 1000 + 42)
        #expect(timeline.total == .seconds(43 * 1000 + 42))
        #expect(timeline.total <= Session.maximumTotal)
        #expect(Timeline.totalDuration(of: session) == timeline.total)
        #expect(timeline.cues.count == timeline.segments.count + 1)  // no segment reaches 10 s
        // The binary searches agree with a linear scan everywhere.
        for probe in stride(from: 0, through: 43_042, by: 997) {
            let at = Duration.milliseconds(probe * 1000 + 500)
            #expect(timeline.segmentIndex(at: at) == timeline.segments.lastIndex { $0.offset <= at })
            #expect(timeline.firstCue(atOrAfter: at) == timeline.cues.firstIndex { $0.offset >= at } ?? timeline.cues.count)
        }
    }

    @Test func segmentIndexAtBoundaries() {
        let timeline = Timeline(Self.sample)
        let tiny = Duration(secondsComponent: 0, attosecondsComponent: 1)
        #expect(timeline.segmentIndex(at: .zero) == 0)
        for segment in timeline.segments {
            #expect(timeline.segmentIndex(at: segment.offset) == segment.index)
            #expect(timeline.segmentIndex(at: segment.end - tiny) == segment.index)
            if segment.index > 0 {
                #expect(timeline.segmentIndex(at: segment.offset - tiny) == segment.index - 1)
            }
        }
        #expect(timeline.segmentIndex(at: timeline.total) == timeline.segments.count - 1)
        #expect(timeline.segmentIndex(at: timeline.total + .seconds(3600)) == timeline.segments.count - 1)
    }

    @Test func firstCueAtOrAfterBoundaries() {
        let timeline = Timeline(Self.sample)
        let tiny = Duration(secondsComponent: 0, attosecondsComponent: 1)
        #expect(timeline.firstCue(atOrAfter: .zero) == 0)
        for cue in timeline.cues {
            #expect(timeline.firstCue(atOrAfter: cue.offset) == cue.index)
            #expect(timeline.firstCue(atOrAfter: cue.offset - tiny) == cue.index)
            #expect(timeline.firstCue(atOrAfter: cue.offset + tiny) == cue.index + 1)
        }
        #expect(timeline.firstCue(atOrAfter: timeline.total) == timeline.cues.count - 1)
        #expect(timeline.firstCue(atOrAfter: timeline.total + tiny) == timeline.cues.count)
        // Mid-segment: the next cue is the countdown, or the next segment's start.
        #expect(timeline.cues[timeline.firstCue(atOrAfter: .seconds(5))].offset == .seconds(7))
        #expect(timeline.cues[timeline.firstCue(atOrAfter: .seconds(35))].offset == .seconds(43))
    }
}
