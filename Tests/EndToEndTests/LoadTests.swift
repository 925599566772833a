import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// Issue 7, item 3: 200 subscribers and a client hammering `status` while a session of
/// 1 s steps runs. Every subscriber gets every event in order, and the cues are still on
/// time (measured by the daemon: `cue played … late_ms=` is how late the first sample of
/// each cue reached the device, on the runner's clock).
///
/// The daemon runs at nice -10, ahead of everything else on the machine, and a
/// ``StallProbe`` at the same priority measures what the machine itself does to such a
/// thread meanwhile. The test is about what the clients do to the daemon's timing; a
/// shared runner's other work is not. Beside 5–8 compilers on 2 cores the cues came
/// 30–240 ms late in half the runs at the daemon's usual priority, and at nice -10 a stall
/// of the whole machine still made one cue 260 ms late about one run in ten. So each cue
/// may be late by 50 ms plus the longest stall the probe saw: on a quiet machine about a
/// millisecond, as strict as before.
@Suite("guided under load")
struct LoadTests {
    /// Only 1 s steps, one with sides and one a rest: 1 + 2 + 1 + 1 = 5 s (short, to keep the
    /// suite quick; the load is in the clients, not in the length).
    static let session = """
        {"title": "Load", "steps": [
          {"name": "One", "duration": 1},
          {"name": "Two", "duration": 1, "sides": true},
          {"name": "Three", "duration": 1, "rest": true},
          {"name": "Four", "duration": 1}
        ]}
        """
    static let expected = ["started One", "step Two left", "side Two right", "step Three", "step Four", "finished Four"]

    @Test("200 subscribers get every event in order while status is hammered; cues stay within 50 ms")
    func subscribersAndHammer() async throws {
        let daemon = try DaemonFixture(sessions: ["load": Self.session])
        daemon.nice = -10  // see the suite's comment
        try daemon.start()
        let subscribers = 200
        let connections = try (0..<subscribers).map { _ in Unchecked(try daemon.connect()) }
        for connection in connections { #expect(try connection.value.send(Request(command: .subscribe)).ok) }

        let mismatches = SharedCounter()
        let delivered = SharedCounter()
        let readers = TestThreads(subscribers) { index in
            var described: [String] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                guard let event = try? connections[index].value.nextEvent(timeout: .seconds(1)) else { continue }
                delivered.add()
                described.append(
                    [event.event.rawValue, event.status.step?.name, event.status.step?.side?.rawValue].compactMap { $0 }.joined(separator: " "))
                if event.event == .finished { break }
            }
            if described != LoadTests.expected { mismatches.add() }
        }

        let stop = SharedCounter()
        let statusCount = SharedCounter()
        let worstStatus = Unchecked(NSLock())
        nonisolated(unsafe) var slowest = Duration.zero
        let hammerConnection = Unchecked(try daemon.connect())
        let hammer = TestThreads(1) { _ in
            while stop.value == 0 {
                let began = ContinuousClock.now
                guard (try? hammerConnection.value.send(Request(command: .status)))?.ok == true else { break }
                let took = ContinuousClock.now - began
                worstStatus.value.withLock { slowest = max(slowest, took) }
                statusCount.add()
            }
        }

        let probe = try StallProbe(nice: daemon.nice)
        #expect(try daemon.request(.start, session: "load").ok)
        #expect(await readers.joined(timeout: .seconds(30)))
        stop.add()
        await hammer.joined()

        #expect(mismatches.value == 0, "\(mismatches.value) subscribers saw other events than \(Self.expected)")
        #expect(delivered.value == subscribers * Self.expected.count)
        // The end cue's line is written as the playback thread hands it over, which can
        // be just after the subscribers read `finished`.
        await daemon.logContains("cue played", count: 6)
        let cues = daemon.cueLateness
        // start (one cue, two tones), step, side, rest, step, end.
        #expect(cues.count == 6, "\(cues)")
        let lateness = cues.map(\.milliseconds).sorted()
        let worst = lateness.last ?? .infinity
        let p99 = lateness.isEmpty ? .infinity : lateness[min(lateness.count - 1, Int((Double(lateness.count) * 0.99).rounded(.up)) - 1)]
        let stalled = probe.stop()
        let stall = Double(stalled.components.seconds) * 1000 + Double(stalled.components.attoseconds) / 1e15
        #expect(p99 < 50 + stall, "cue lateness p99 \(p99) ms, the machine stalled a thread for \(stall) ms: \(cues)")
        // A cue more than 250 ms late is dropped (CuePlayer.dropLateness): only when the
        // allowance reaches that is a drop excused.
        #expect(!daemon.log.contains("late cue dropped") || 50 + stall >= 250, "stall \(stall) ms: \(cues)")
        print(
            "load: \(subscribers) subscribers, \(delivered.value) events delivered (\(Self.expected.count) each, all in order: \(mismatches.value == 0)), "
                + "\(statusCount.value) status replies (slowest \(worstStatus.value.withLock { slowest })), "
                + "cues \(cues.map { "\($0.cue) \($0.milliseconds)" }), machine stall \(String(format: "%.3f", stall)) ms, worst lateness \(String(format: "%.3f", worst)) ms, p99 \(String(format: "%.3f", p99)) ms")
    }
}
