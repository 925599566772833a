import GuideAudio
import Synchronization

/// An `AudioSink` that keeps everything it is given, with the monotonic instant each cue
/// was handed over, so tests can check what a `CuePlayer` played and when — no sound
/// card needed. It can be told to fail (``setFailure(_:)``) to exercise the player's
/// error handling; waiting is event-driven (``waitUntil(timeout:_:)``), never sleep-and-hope.
///
/// One instance may be returned by a player's `sinkFactory` again and again: each
/// (re)open is recorded as an event.
public final class RecordingSink: AudioSink, Sendable {
    /// One cue as the sink received it.
    public struct Cue: Sendable, Hashable {
        public var samples: [Int16]
        public var sampleRate: Int
        /// When `play` was called (`SuspendingClock`, the player's clock).
        public var handedAt: SuspendingClock.Instant
    }

    public enum Event: Sendable, Hashable {
        case opened(sampleRate: Int)
        case played(sampleCount: Int)
        case closed
        /// `open` or `play` threw the configured failure.
        case failed(String)
    }

    /// What the sink has seen so far.
    public struct Snapshot: Sendable {
        public var cues: [Cue]
        public var events: [Event]
        /// Whether the sink is between an `open` and a `close`.
        public var isOpen: Bool
        /// When each successful `open` came, on the player's thread (a busy test runner
        /// may look much later).
        public var openedAt: [SuspendingClock.Instant] = []
    }

    public struct TimeoutError: Error, CustomStringConvertible {
        public var description: String
    }

    private struct Waiter {
        var id: Int
        var predicate: @Sendable (Snapshot) -> Bool
        var continuation: CheckedContinuation<Snapshot, any Error>
    }

    private struct State: ~Copyable {
        var snapshot = Snapshot(cues: [], events: [], isOpen: false)
        var sampleRate = 0
        var failure: (any Error & Sendable)?
        var waiters: [Waiter] = []
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Makes `open` and `play` throw `error` until called again with `nil`.
    public func setFailure(_ error: (any Error & Sendable)?) {
        state.withLock { $0.failure = error }
    }

    public var snapshot: Snapshot { state.withLock { $0.snapshot } }
    public var cues: [Cue] { snapshot.cues }
    public var events: [Event] { snapshot.events }

    // MARK: AudioSink

    public func open(sampleRate: Int) throws {
        try change { state in
            if let failure = state.failure {
                state.snapshot.events.append(.failed(String(describing: failure)))
                return failure
            }
            state.sampleRate = sampleRate
            state.snapshot.isOpen = true
            state.snapshot.openedAt.append(.now)
            state.snapshot.events.append(.opened(sampleRate: sampleRate))
            return nil
        }
    }

    public func play(_ samples: [Int16]) throws {
        let handedAt = SuspendingClock.now
        try change { state in
            if let failure = state.failure {
                state.snapshot.events.append(.failed(String(describing: failure)))
                return failure
            }
            precondition(state.snapshot.isOpen, "play before open")
            state.snapshot.cues.append(Cue(samples: samples, sampleRate: state.sampleRate, handedAt: handedAt))
            state.snapshot.events.append(.played(sampleCount: samples.count))
            return nil
        }
    }

    public func close() {
        try? change { state in
            if state.snapshot.isOpen {
                state.snapshot.isOpen = false
                state.snapshot.events.append(.closed)
            }
            return nil
        }
    }

    // MARK: Waiting

    /// Returns the first snapshot for which `predicate` holds, waiting for changes;
    /// throws ``TimeoutError`` after `timeout`.
    @discardableResult
    public func waitUntil(
        timeout: Duration = .seconds(10), _ predicate: @escaping @Sendable (Snapshot) -> Bool
    ) async throws -> Snapshot {
        try await withCheckedThrowingContinuation { continuation in
            let id: Int? = state.withLock { state in
                if predicate(state.snapshot) {
                    continuation.resume(returning: state.snapshot)
                    return nil
                }
                state.nextWaiterID += 1
                state.waiters.append(Waiter(id: state.nextWaiterID, predicate: predicate, continuation: continuation))
                return state.nextWaiterID
            }
            guard let id else { return }
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.expire(id, after: timeout)
            }
        }
    }

    /// Waits until at least `count` cues were played and returns them.
    public func waitForCues(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Cue] {
        try await waitUntil(timeout: timeout) { $0.cues.count >= count }.cues
    }

    private func expire(_ id: Int, after timeout: Duration) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: TimeoutError(description: "RecordingSink: condition not met within \(timeout)"))
    }

    /// Applies `body` and wakes the waiters it satisfied; throws what `body` returns.
    private func change(_ body: (inout State) -> (any Error)?) throws {
        let (error, ready): ((any Error)?, [(Waiter, Snapshot)]) = state.withLock { state in
            let error = body(&state)
            var ready: [(Waiter, Snapshot)] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(state.snapshot) else { return false }
                ready.append((waiter, state.snapshot))
                return true
            }
            return (error, ready)
        }
        for (waiter, snapshot) in ready {
            waiter.continuation.resume(returning: snapshot)
        }
        if let error {
            throw error
        }
    }
}
