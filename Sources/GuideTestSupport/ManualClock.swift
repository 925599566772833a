import Synchronization

/// A `Clock` that moves only when a test tells it to, so that timing tests are exact and
/// never sleep. `sleep(until:)` suspends until ``advance(by:)`` or ``advance(to:)`` brings
/// `now` to or past the deadline (or the sleeping task is cancelled); ``waitForSleepers(_:)``
/// lets a test await "someone is sleeping on me" before it advances.
///
/// Modeled on hummingbird's `MockClock`, with the `sleep` that one leaves out.
public final class ManualClock: Clock, Sendable {
    public typealias Duration = Swift.Duration

    /// A point on the manual clock: the time since the clock's zero.
    public struct Instant: InstantProtocol, Hashable, Sendable, CustomStringConvertible {
        public typealias Duration = Swift.Duration

        /// Time since the clock's zero.
        public var offset: Swift.Duration

        public init(_ offset: Swift.Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Swift.Duration) -> Instant {
            Instant(offset + duration)
        }

        public func duration(to other: Instant) -> Swift.Duration {
            other.offset - offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }

        public var description: String { "ManualClock.Instant(\(offset))" }
    }

    private enum Entry {
        /// Registered and suspended.
        case sleeping(deadline: Instant, CheckedContinuation<Void, any Error>)
        /// Cancelled before it could register.
        case cancelled
    }

    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Entry] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var cancelledWaiters: Set<UInt64> = []

        var pendingSleepers: Int {
            sleepers.values.reduce(0) { n, entry in if case .sleeping = entry { n + 1 } else { n } }
        }

        mutating func newID() -> UInt64 {
            nextID += 1
            return nextID
        }

        /// Takes out the waiters whose count of sleepers has been reached.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
            let pending = pendingSleepers
            let ready = waiters.filter { $0.value.count <= pending }
            for id in ready.keys { waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
    }

    private let state: Mutex<State>

    /// A clock whose `now` is `start` (zero by default).
    public init(start: Instant = Instant(.zero)) {
        state = Mutex(State(now: start))
    }

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Swift.Duration { .zero }

    /// How many tasks are suspended in `sleep(until:)` right now.
    public var pendingSleepers: Int { state.withLock { $0.pendingSleepers } }

    /// The earliest deadline anyone is sleeping until, if anyone is.
    public var nextSleeperDeadline: Instant? {
        state.withLock { s in
            s.sleepers.values.compactMap { entry -> Instant? in
                if case .sleeping(let deadline, _) = entry { deadline } else { nil }
            }.min()
        }
    }

    /// Moves `now` forward by `duration` and wakes every sleeper whose deadline has come.
    public func advance(by duration: Swift.Duration) {
        precondition(duration >= .zero, "ManualClock cannot go backwards (advance(by: \(duration)))")
        let woken = state.withLock { s in
            s.now = s.now.advanced(by: duration)
            return Self.takeDue(&s)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves `now` to `instant` (which must not be in the past) and wakes every sleeper
    /// whose deadline has come.
    public func advance(to instant: Instant) {
        let woken = state.withLock { s in
            precondition(instant >= s.now, "ManualClock cannot go backwards (from \(s.now) to \(instant))")
            s.now = instant
            return Self.takeDue(&s)
        }
        for continuation in woken { continuation.resume() }
    }

    private static func takeDue(_ s: inout State) -> [CheckedContinuation<Void, any Error>] {
        var due: [CheckedContinuation<Void, any Error>] = []
        for (id, entry) in s.sleepers {
            if case .sleeping(let deadline, let continuation) = entry, deadline <= s.now {
                s.sleepers[id] = nil
                due.append(continuation)
            }
        }
        return due
    }

    /// Suspends until the clock has been advanced to `deadline` or past it. Returns at once
    /// if it already has; throws `CancellationError` if the task is (or gets) cancelled.
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case wait, done, cancelled }
                let (outcome, ready): (Outcome, [CheckedContinuation<Void, any Error>]) = state.withLock { s in
                    if case .cancelled = s.sleepers[id] {
                        s.sleepers[id] = nil
                        return (.cancelled, [])
                    }
                    if deadline <= s.now { return (.done, []) }
                    s.sleepers[id] = .sleeping(deadline: deadline, continuation)
                    return (.wait, s.satisfiedWaiters())
                }
                switch outcome {
                case .wait: break
                case .done: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
                for waiter in ready { waiter.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { s in
                switch s.sleepers[id] {
                case .sleeping(_, let continuation):
                    s.sleepers[id] = nil
                    return continuation
                case .cancelled:
                    return nil
                case nil:
                    // Not registered yet: leave a mark so that registration throws instead.
                    s.sleepers[id] = .cancelled
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock — the way for a test
    /// to know that the code under test has reached its wait before it advances the clock.
    /// Throws `CancellationError` if the waiting task is cancelled.
    public func waitForSleepers(_ count: Int = 1) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case wait, done, cancelled }
                let outcome: Outcome = state.withLock { s in
                    if s.cancelledWaiters.remove(id) != nil { return .cancelled }
                    if s.pendingSleepers >= count { return .done }
                    s.waiters[id] = Waiter(count: count, continuation: continuation)
                    return .wait
                }
                switch outcome {
                case .wait: break
                case .done: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { s in
                if let waiter = s.waiters.removeValue(forKey: id) { return waiter.continuation }
                s.cancelledWaiters.insert(id)
                return nil
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
