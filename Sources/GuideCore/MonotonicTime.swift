#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// guide's one way to read a kernel clock: CLOCK_MONOTONIC (what SuspendingClock uses on
/// Linux, stopped during suspend) or another clock id such as CLOCK_BOOTTIME.
public enum MonotonicTime {
    /// `clock` now, as a timespec.
    public static func timespecNow(_ clock: clockid_t = CLOCK_MONOTONIC) -> timespec {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return ts
    }

    /// `clock` now, in whole nanoseconds since the clock's zero.
    public static func nanoseconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> Int64 {
        let ts = timespecNow(clock)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `clock` now, as a Duration since the clock's zero.
    public static func duration(_ clock: clockid_t = CLOCK_MONOTONIC) -> Duration {
        let ts = timespecNow(clock)
        return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
    }
}
