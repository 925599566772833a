import GuideCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How long the machine kept a thread from running: a thread that sleeps 1 ms at a time
/// and records how much later than asked it woke, at most. For timing tests on a shared
/// runner: a cue the daemon played 80 ms late while the machine held every thread of the
/// daemon's priority off the cores for 80 ms (a burst of other work, the hypervisor taking
/// the vCPU) says nothing about the daemon. What the probe saw is the machine's share of a
/// lateness; on a quiet machine it is about a millisecond, and the test is as strict as
/// without it.
public final class StallProbe: Sendable {
    /// Shared with the probe's thread, which must not keep the probe itself alive.
    private final class State: Sendable {
        let worst = Mutex(Duration.zero)
        let stopped = Atomic(false)
        let done = Atomic(false)
    }

    private let state = State()

    /// Starts probing at `nice` (a daemon started with ``DaemonFixture/nice`` is compared
    /// with a probe at the same value; negative values need root or CAP_SYS_NICE).
    public init(nice: Int32 = 0) throws {
        try NamedThread.start("guide-probe") { [state] in
            // PRIO_PROCESS with 0 is the calling thread alone on Linux.
            if nice != 0 { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) }
            while !state.stopped.load(ordering: .relaxed) {
                let asked = MonotonicTime.nanoseconds() + 1_000_000
                usleep(1_000)
                let late = Duration.nanoseconds(MonotonicTime.nanoseconds() - asked)
                state.worst.withLock { $0 = max($0, late) }
            }
            state.done.store(true, ordering: .releasing)
        }
    }

    deinit { _ = stop() }

    /// Ends the probe; returns the longest stall it saw.
    @discardableResult
    public func stop() -> Duration {
        state.stopped.store(true, ordering: .relaxed)
        while !state.done.load(ordering: .acquiring) { usleep(1_000) }
        return state.worst.withLock { $0 }
    }

    /// The longest stall so far.
    public var worstStall: Duration { state.worst.withLock { $0 } }
}
