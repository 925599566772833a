import NIOConcurrencyHelpers

/// A flag set once from any thread: the server's ready callback (the daemon has served, so
/// its state is its own to record), a signal handler (a stop has begun: STOPPING=1 once).
final class OnceFlag: Sendable {
    private let value = NIOLockedValueBox(false)

    /// Sets the flag; true if this call set it (it was not set before).
    @discardableResult
    func set() -> Bool { value.withLockedValue { was in defer { was = true }; return !was } }

    var isSet: Bool { value.withLockedValue { $0 } }
}
