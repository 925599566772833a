/// Sees system suspend without D-Bus: CLOCK_BOOTTIME counts time asleep and
/// CLOCK_MONOTONIC does not, so their difference grows by exactly the time slept.
///
/// Readings are offsets from each clock's zero (as `Duration`), so tests inject them.
public struct SuspendDetector: Sendable, Hashable {
    /// Growth below this is noise (the two readings are not taken at the same instant).
    public static let threshold = Duration.milliseconds(500)

    private var gap: Duration

    public init(boottime: Duration, monotonic: Duration) {
        gap = boottime - monotonic
    }

    /// How long the system slept since the previous reading, or nil if it did not.
    public mutating func check(boottime: Duration, monotonic: Duration) -> Duration? {
        let now = boottime - monotonic
        let grown = now - gap
        guard grown >= Self.threshold else { return nil }
        gap = now
        return grown
    }
}
