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

    /// A call to `sleep` or `waitForSleepers`, from the moment it takes an id until it returns.
    /// Finished calls are removed, so that nothing accumulates over a long test.
    private enum Entry {
        /// About to suspend.
        case starting
        /// Cancelled while starting: it will throw instead of suspending.
        case cancelled
        /// Suspended in `sleep(until:)`.
        case sleeping(deadline: Instant, CheckedContinuation<Void, any Error>)
        /// Suspended in `waitForSleepers(_:)`.
        case waiting(count: Int, CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var now: Instant
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]

        var pendingSleepers: Int {
            entries.values.reduce(0) { n, entry in if case .sleeping = entry { n + 1 } else { n } }
        }

        mutating func newEntry() -> UInt64 {
            nextID += 1
            entries[nextID] = .starting
            return nextID
        }

        /// Takes out the waiters whose count of sleepers has been reached.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
            let pending = pendingSleepers
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, entry) in entries {
                if case .waiting(let count, let continuation) = entry, count <= pending {
                    entries[id] = nil
                    ready.append(continuation)
                }
            }
            return ready
        }

        /// Ends the call `id` because its task was cancelled: the continuation to resume with
        /// `CancellationError`, if it had suspended; otherwise a mark that makes it throw.
        mutating func cancel(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
            switch entries[id] {
            case .starting:
                entries[id] = .cancelled
                return nil
            case .sleeping(_, let continuation), .waiting(_, let continuation):
                entries[id] = nil
                return continuation
            case .cancelled, nil:
                return nil  // already over
            }
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
            s.entries.values.compactMap { entry -> Instant? in
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
        for (id, entry) in s.entries {
            if case .sleeping(let deadline, let continuation) = entry, deadline <= s.now {
                s.entries[id] = nil
                due.append(continuation)
            }
        }
        return due
    }

    /// Suspends until the clock has been advanced to `deadline` or past it. Returns at once
    /// if it already has; throws `CancellationError` if the task is (or gets) cancelled.
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newEntry() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, ready): (Outcome, [CheckedContinuation<Void, any Error>]) = state.withLock { s in
                    if case .cancelled = s.entries[id] {
                        s.entries[id] = nil
                        return (.cancelled, [])
                    }
                    if deadline <= s.now {
                        s.entries[id] = nil
                        return (.done, [])
                    }
                    s.entries[id] = .sleeping(deadline: deadline, continuation)
                    return (.wait, s.satisfiedWaiters())
                }
                outcome.apply(to: continuation)
                for waiter in ready { waiter.resume() }
            }
        } onCancel: {
            state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock — the way for a test
    /// to know that the code under test has reached its wait before it advances the clock.
    /// Throws `CancellationError` if the waiting task is cancelled.
    public func waitForSleepers(_ count: Int = 1) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newEntry() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Outcome = state.withLock { s in
                    if case .cancelled = s.entries[id] {
                        s.entries[id] = nil
                        return .cancelled
                    }
                    if s.pendingSleepers >= count {
                        s.entries[id] = nil
                        return .done
                    }
                    s.entries[id] = .waiting(count: count, continuation)
                    return .wait
                }
                outcome.apply(to: continuation)
            }
        } onCancel: {
            state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
    }

    private enum Outcome {
        case wait, done, cancelled

        func apply(to continuation: CheckedContinuation<Void, any Error>) {
            switch self {
            case .wait: break
            case .done: continuation.resume()
            case .cancelled: continuation.resume(throwing: CancellationError())
            }
        }
    }
}
