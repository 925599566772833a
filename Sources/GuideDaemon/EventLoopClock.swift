import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// `SuspendingClock` (CLOCK_MONOTONIC on Linux) whose `sleep` waits on a NIO event loop's
/// timer instead of Swift's default.
///
/// Why: on Linux, `Task.sleep` and `SuspendingClock.sleep` hand the wake-up to
/// libdispatch's global queues even when NIO runs Swift's jobs (NIO only takes over the
/// plain enqueue hook). The first global-queue worker starts libdispatch's workqueue
/// monitor, a timer that wakes the process every second for the rest of its life. A
/// daemon that sleeps through this clock has no timer at all once its deadlines are past:
/// the event loop's epoll wait simply has no timeout.
///
/// Instants are `SuspendingClock.Instant`s, so they mix freely with the player's
/// `SuspendingClock` deadlines.
public struct EventLoopClock: Clock, Sendable {
    public typealias Instant = SuspendingClock.Instant
    public typealias Duration = Swift.Duration

    private let group: any EventLoopGroup

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    public var now: Instant { SuspendingClock.now }
    public var minimumResolution: Duration { SuspendingClock().minimumResolution }

    /// Suspends until `deadline` (or throws `CancellationError` as soon as the task is
    /// cancelled). `tolerance` is ignored: the event loop's timer is exact to the
    /// microsecond, and cue deadlines want exactly that.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let wait = SuspendingClock.now.duration(to: deadline)
        try Task.checkCancellation()
        if wait <= .zero { return }
        let loop = group.any()
        let pending = NIOLockedValueBox(Pending.notStarted)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let scheduled = loop.scheduleTask(in: Self.timeAmount(wait)) {}
                let cancelledEarly = pending.withLockedValue { state -> Bool in
                    if case .cancelled = state { return true }
                    state = .scheduled(scheduled)
                    return false
                }
                if cancelledEarly { scheduled.cancel() }
                // Runs once: on success when the timer fires, with an error when cancelled.
                scheduled.futureResult.whenComplete { result in
                    switch result {
                    case .success: continuation.resume()
                    case .failure: continuation.resume(throwing: CancellationError())
                    }
                }
            }
        } onCancel: {
            let scheduled = pending.withLockedValue { state -> Scheduled<Void>? in
                defer { state = .cancelled }
                if case .scheduled(let scheduled) = state { return scheduled }
                return nil
            }
            scheduled?.cancel()
        }
    }

    /// A duration as NIO's nanosecond `TimeAmount`, rounded up so that a wake-up is never
    /// early.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanoseconds.overflow { return .nanoseconds(Int64.max) }
        let fraction = (attoseconds + 999_999_999) / 1_000_000_000
        let (total, overflow) = nanoseconds.partialValue.addingReportingOverflow(fraction)
        return .nanoseconds(overflow ? Int64.max : total)
    }

    private enum Pending {
        case notStarted
        case scheduled(Scheduled<Void>)
        case cancelled
    }
}
