import Testing
@testable import GuideCore

/// The bundled sessions are what a person runs after a workout; these tests hold them to
/// the guidance of docs/session-format.md, "Bundled sessions" (hold times, safety text), not just to the file format.
@Suite struct BundledSessionsTests {
    static let names = ["cooldown", "epsom-bath", "foam-rolling", "hydration", "massage", "posture"]

    private let library = SessionLibrary.load(directories: [Fixtures.sessionsDirectory])

    private func session(_ name: String) throws -> Session {
        try #require(library.session(named: name), "\(name).json did not load: \(library.errors)").session
    }

    @Test func everyBundledFileDecodes() {
        #expect(library.errors == [])
        #expect(library.names == Self.names)
    }

    @Test(arguments: names)
    func hasTitleDescriptionAndACautionThatSaysStopIfItHurts(name: String) throws {
        let s = try session(name)
        #expect(!s.title.isEmpty)
        #expect((s.description ?? "").count > 40)
        let caution = try #require(s.caution).lowercased()
        #expect(caution.contains("slowly"))
        #expect(caution.contains("stop at once if it hurts"))
        #expect(caution.contains("health professional"))
        #expect(caution.contains("persist"))
    }

    @Test(arguments: names)
    func everyStepHasShortPlainInstructions(name: String) throws {
        for step in try session(name).steps {
            let text = try #require(step.instructions, "\(name): \(step.name) has no instructions")
            let sentences = text.split(whereSeparator: { ".!?".contains($0) })
            for sentence in sentences {
                let words = sentence.split(separator: " ").count
                #expect(words <= 25, "\(name): \(step.name): a \(words)-word sentence")
            }
        }
    }

    @Test func theCooldownHoldsEachSideThirtyToFortyFiveSeconds() throws {
        let s = try session("cooldown")
        let perSide = s.steps.filter(\.sides)
        #expect(perSide.count >= 4)
        for step in perSide {
            #expect((Duration.seconds(30)...Duration.seconds(45)).contains(step.duration), "\(step.name)")
        }
        let names = s.steps.map { $0.name.lowercased() }.joined(separator: "|")
        for stretch in ["child's pose", "knee-to-chest", "twist", "figure-four", "hamstring", "cat-cow"] {
            #expect(names.contains(stretch), "missing \(stretch)")
        }
        // Transitions between positions are short rests, not holds.
        for step in s.steps where step.rest { #expect(step.duration <= .seconds(20), "\(step.name)") }
    }

    @Test func foamRollingSpendsThirtyToNinetySecondsPerMuscleAndSparesTheLowerBack() throws {
        let s = try session("foam-rolling")
        let muscles = s.steps.filter { !$0.rest }
        #expect(muscles.count >= 6)
        for step in muscles {
            #expect((Duration.seconds(30)...Duration.seconds(90)).contains(step.duration), "\(step.name)")
        }
        let names = muscles.map { $0.name.lowercased() }.joined(separator: "|")
        for group in ["calves", "hamstrings", "quadriceps", "glutes", "it band", "upper back"] {
            #expect(names.contains(group), "missing \(group)")
        }
        #expect(try #require(s.caution).contains("Never roll directly on your lower back"))
    }

    @Test func hydrationRemindsEveryTwentyMinutesForTwoHours() throws {
        let s = try session("hydration")
        let timeline = Timeline(s)
        #expect(timeline.total == .seconds(2 * 3600))
        let reminders = timeline.cues.filter { $0.kind == .start || $0.kind == .step }.map(\.offset)
        #expect(reminders == (0..<6).map { Duration.seconds($0 * 20 * 60) })
        for step in s.steps { #expect(step.name.contains("150–250 ml")) }
    }

    @Test func postureChecksInEveryFifteenToThirtyMinutes() throws {
        let s = try session("posture")
        let round = Timeline.totalDuration(of: Session(name: s.name, title: s.title, steps: s.steps))
        #expect((Duration.seconds(15 * 60)...Duration.seconds(30 * 60)).contains(round))
        #expect(s.rounds >= 2)
        #expect(s.steps.first?.name == "Posture check")
        #expect(s.steps.last?.rest == true)
    }

    @Test func theEpsomBathSoaksTwelveToTwentyMinutes() throws {
        let s = try session("epsom-bath")
        let first = try #require(s.steps.firstIndex { $0.name.hasPrefix("Soak") })
        let last = try #require(s.steps.lastIndex { $0.name.hasPrefix("Soak") })
        let soak = s.steps[first...last].reduce(Duration.zero) { $0 + $1.duration }
        #expect((Duration.seconds(12 * 60)...Duration.seconds(20 * 60)).contains(soak))
        #expect(s.steps[first...last].contains { $0.name == "Check-in" })
        let caution = try #require(s.caution).lowercased()
        for word in ["°c", "pregnant", "heart"] { #expect(caution.contains(word), "caution lacks \(word)") }
        #expect(s.steps.last?.name == "Rehydrate")
    }

    @Test func massageCoversNeckShouldersLowerBackAndFeet() throws {
        let names = try session("massage").steps.map { $0.name.lowercased() }.joined(separator: "|")
        for area in ["neck", "shoulders", "lower back", "feet"] { #expect(names.contains(area), "missing \(area)") }
    }
}
