import NIOCore
import Testing

@testable import GuideDaemon

/// The daemon's sleeping clock: SuspendingClock's time, slept on NIO's timers.
@Suite("EventLoopClock")
struct EventLoopClockTests {
    @Test("a sleep never ends before its deadline")
    func neverEarly() async throws {
        let clock = EventLoopClock()
        for milliseconds in [1, 7, 20] {
            let deadline = clock.now + .milliseconds(milliseconds)
            try await clock.sleep(until: deadline)
            #expect(SuspendingClock.now >= deadline)
        }
    }

    @Test("a deadline in the past returns at once, and a cancelled task does not sleep")
    func pastAndPreCancelled() async throws {
        let clock = EventLoopClock()
        try await clock.sleep(until: clock.now - .seconds(5))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(3600))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("cancelling a sleeping task ends the sleep with CancellationError")
    func cancelWhileSleeping() async throws {
        let clock = EventLoopClock()
        // Were the cancellation lost, the sleep would end normally after 120 s and the
        // expectation fail. (No bound on how soon: other tests of this process may hold
        // the few executor threads for a long time.)
        let task = Task { try await clock.sleep(for: .seconds(120)) }
        try await clock.sleep(for: .milliseconds(20))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("durations become NIO time amounts rounded up to the nanosecond, and huge ones saturate")
    func timeAmounts() {
        #expect(EventLoopClock.timeAmount(.zero) == .nanoseconds(0))
        #expect(EventLoopClock.timeAmount(.nanoseconds(1_500)) == .nanoseconds(1_500))
        #expect(EventLoopClock.timeAmount(Duration(secondsComponent: 0, attosecondsComponent: 1)) == .nanoseconds(1))
        #expect(EventLoopClock.timeAmount(.seconds(2) + .milliseconds(5)) == .nanoseconds(2_005_000_000))
        #expect(EventLoopClock.timeAmount(.seconds(Int64.max / 2)) == .nanoseconds(Int64.max))
    }
}
