import GuideCore
import GuideTestSupport
import Testing

/// A session's `onSuspend` (DESIGN.md §7), and the gate a running session puts on reminders.
@Suite struct RunnerSuspendTests {
    static func session(_ onSuspend: String?) throws -> Session {
        let field = onSuspend.map { #""onSuspend": "\#($0)","# } ?? ""
        let json = #"{"title": "Soak", \#(field) "steps": [{"name": "In", "duration": 60}, {"name": "Out", "duration": 60}]}"#
        return try SessionDecoder.decode(Array(json.utf8), fileName: "soak.json")
    }

    @Test func pauseIsTheDefaultAndSaysWhy() throws {
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        runner.start(try Self.session(nil))
        _ = runner.tick()
        clock.advance(by: .seconds(30))
        // Ten minutes asleep: the monotonic clock did not move; the detector saw it.
        let paused = runner.systemSlept(.seconds(600))
        #expect(paused)
        #expect(runner.state == .paused)
        #expect(runner.pauseReason == "the system was suspended")
        #expect(runner.status.pauseReason == "the system was suspended")
        #expect(runner.elapsed == .seconds(30))
        #expect(runner.nextDeadline == nil)
        try runner.resume()
        #expect(runner.pauseReason == nil)
        #expect(runner.status.pauseReason == nil)
    }

    @Test func continueCountsTheSleepAndPlaysOnlyTheNewestBoundary() throws {
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        runner.start(try Self.session("continue"))
        _ = runner.tick()
        clock.advance(by: .seconds(30))
        _ = runner.tick()
        // Ten minutes asleep mid-step: the session is over by now, its end cue plays once.
        let paused = runner.systemSlept(.seconds(600))
        #expect(!paused)
        #expect(runner.state == .running)
        let batch = runner.tick()
        #expect(batch.filter { $0.disposition == .play }.map(\.cue.kind) == [.end])
        #expect(runner.state == .finished)
    }

    @Test func continueMidStepMovesOnByTheTimeSlept() throws {
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        runner.start(try Self.session("continue"))
        _ = runner.tick()
        clock.advance(by: .seconds(10))
        runner.systemSlept(.seconds(65))
        let batch = runner.tick()
        #expect(batch.filter { $0.disposition == .play }.map(\.cue.kind) == [.step])
        #expect(runner.elapsed == .seconds(75))
    }

    @Test func theDecoderRejectsAnUnknownPolicy() {
        #expect(throws: SessionError(file: "soak.json", location: "onSuspend", message: #""sleep" is not a suspend policy (use "pause" or "continue")"#)) {
            try Self.session("sleep")
        }
    }

    @Test func epsomBathContinuesAcrossSuspend() throws {
        let bath = try SessionFile.read(path: Fixtures.sessionsDirectory + "/epsom-bath.json")
        #expect(bath.onSuspend == .continue)
        let cooldown = try SessionFile.read(path: Fixtures.sessionsDirectory + "/cooldown.json")
        #expect(cooldown.onSuspend == .pause)
    }

    @Test func aRunningSessionGatesReminders() throws {
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        #expect(RoutineGate(runner: runner) == .none)
        runner.start(try Self.session(nil))
        _ = runner.tick()
        clock.advance(by: .seconds(12))
        _ = runner.tick()
        let gate = RoutineGate(runner: runner)
        #expect(gate == RoutineGate(state: .running, sinceBoundary: 12, untilBoundary: 48, untilCue: 45))
        try runner.pause()
        #expect(RoutineGate(runner: runner).state == .paused)
    }
}
