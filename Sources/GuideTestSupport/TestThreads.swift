import Dispatch
import GuideCore
import Synchronization

/// Hands a non-Sendable value (a blocking ``GuideConnection``) to one other thread that
/// alone uses it from then on.
public struct Unchecked<Value>: @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

/// Plain threads for tests that need many blocking clients at once: the cooperative pool
/// has as many threads as cores (two here), so blocking clients must not run on it.
public final class TestThreads: Sendable {
    private let done: DispatchGroup

    /// Starts `count` threads, each running `body(index)`.
    public init(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        self.done = done
        for index in 0..<count {
            done.enter()
            do {
                try NamedThread.start("guide-test") {
                    body(index)
                    done.leave()
                }
            } catch {
                fatalError("TestThreads: cannot start thread \(index): \(error)")
            }
        }
    }

    /// Waits until every thread has returned; false on timeout.
    @discardableResult
    public func join(timeout: Duration = .seconds(60)) -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return done.wait(timeout: .now() + seconds) == .success
    }
}

/// A count shared by test threads.
public final class SharedCounter: Sendable {
    private let count = Mutex(0)
    public init() {}
    public func add(_ n: Int = 1) { count.withLock { $0 += n } }
    public var value: Int { count.withLock { $0 } }
}

extension TestThreads {
    /// Runs `body` on a thread of its own and awaits its result: for blocking waits that
    /// take seconds (a whole session's events, a child that runs for a minute). Swift
    /// Testing runs every test on the cooperative pool, as many threads as cores (two
    /// here); a test that blocks one of them for a minute holds back every other test.
    public static func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try NamedThread.start("guide-test") { continuation.resume(with: Result { try body() }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Awaits the threads' end (``join(timeout:)`` off the pool); false on timeout.
    public func joined(timeout: Duration = .seconds(60)) async -> Bool {
        (try? await Self.offPool { self.join(timeout: timeout) }) ?? false
    }
}
