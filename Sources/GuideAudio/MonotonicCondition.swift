#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// (Package-wide: the daemon's hook runner waits on it too.)
///
/// A pthread mutex and condition variable whose timed waits run on CLOCK_MONOTONIC — the
/// clock behind `SuspendingClock` on Linux — plus a precise absolute sleep on the same
/// clock. Foundation's `NSCondition` times out on the wall clock (which can jump), and
/// Swift's `Mutex` has no condition variable; the playback thread needs both "sleep until
/// this instant" and "wake me when a cue is queued", so this small wrapper exists.
package final class MonotonicCondition: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move, and Swift may move stored structs.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    package func lock() {
        pthread_mutex_lock(mutex)
    }

    package func unlock() {
        pthread_mutex_unlock(mutex)
    }

    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits (lock held) until signalled. Spurious wake-ups happen: re-check the state.
    package func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Waits (lock held) until signalled or `deadline` has passed.
    package func wait(until deadline: SuspendingClock.Instant) {
        var time = Self.monotonicTimespec(for: deadline)
        pthread_cond_timedwait(condition, mutex, &time)
    }

    package func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Blocks the calling thread until `deadline` with `clock_nanosleep(TIMER_ABSTIME)`:
    /// an absolute deadline, so neither the call's own overhead nor an interruption adds
    /// to the error (typical overshoot: the 50 µs timer slack).
    package static func sleep(until deadline: SuspendingClock.Instant) {
        var time = monotonicTimespec(for: deadline)
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
    }

    /// The CLOCK_MONOTONIC reading at which `instant` happens. Computed from the distance
    /// to `SuspendingClock.now` (Swift does not expose an instant's raw reading); the two
    /// clock reads are nanoseconds apart.
    package static func monotonicTimespec(for instant: SuspendingClock.Instant) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let delta = SuspendingClock.now.duration(to: instant).components
        let nanosPerSecond: Int64 = 1_000_000_000
        var seconds = Int64(now.tv_sec) + delta.seconds
        var nanos = Int64(now.tv_nsec) + delta.attoseconds / 1_000_000_000
        seconds += nanos / nanosPerSecond
        nanos %= nanosPerSecond
        if nanos < 0 {
            nanos += nanosPerSecond
            seconds -= 1
        }
        if seconds < 0 {
            return timespec(tv_sec: 0, tv_nsec: 0)
        }
        return timespec(tv_sec: Int(seconds), tv_nsec: Int(nanos))
    }
}
