@testable import GuideCore
import Testing

@testable import GuideCLI
import GuideProtocol

@Suite struct SessionFormatterTests {
    static let session = Session(
        name: "quick", title: "Quick test", description: "Try it.", caution: "Stop if it hurts.",
        steps: [
            Step(name: "Stand tall", duration: .seconds(2)),
            Step(name: "Reach up", duration: .seconds(90), sides: true),
            Step(name: "Breathe", duration: .seconds(2), rest: true),
        ])

    @Test func planShowsStartTimesLengthsSidesRestAndTotal() {
        #expect(
            SessionFormatter.plan(SessionDetail(Self.session)) == """
                Quick test (quick)
                Try it.
                Caution: Stop if it hurts.

                start  length  step
                 0:00      2s  1. Stand tall
                 0:02   1m30s  2. Reach up (left)
                 1:32   1m30s     Reach up (right)
                 3:02      2s  3. Breathe  · rest
                 3:04          total 3m4s, 3 steps
                """)
    }

    @Test func planMarksRoundsAndTheRestBetweenThem() {
        var session = Self.session
        session.description = nil
        session.caution = nil
        session.rounds = 2
        session.roundRest = .seconds(5)
        session.steps = [Step(name: "Squat", duration: .seconds(30))]
        #expect(
            SessionFormatter.plan(SessionDetail(session)) == """
                Quick test (quick)

                start  length  step
                               round 1/2
                 0:00     30s  1. Squat
                 0:30      5s     Rest before round 2  · rest
                               round 2/2
                 0:35     30s  1. Squat
                 1:05          total 1m5s, 1 step × 2 rounds
                """)
    }

    @Test func listAlignsColumns() {
        let list = SessionFormatter.list([
            SessionSummary(name: "cooldown", title: "Back-friendly cooldown", steps: 12, total: 535),
            SessionSummary(name: "quick", title: "Quick", steps: 1, total: 2.5),
        ])
        #expect(
            list == """
                cooldown  Back-friendly cooldown  12 steps  8m55s
                quick     Quick                    1 step   2.5s
                """)
    }
}
