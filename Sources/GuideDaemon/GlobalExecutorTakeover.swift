import CRuntimeHooks
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global executor on NIO's singleton event loops instead of
/// libdispatch's global queues.
///
/// Why: on Linux the first worker of a libdispatch global queue starts the workqueue
/// monitor, a 1 s timer that wakes the process for the rest of its life, and an idle
/// daemon must not wake. It also saves the thread hops between NIO and the task pool.
///
/// This is what `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
/// does, except that NIO finds the runtime's hook variable with `dlsym`, which finds
/// nothing in a `--static-swift-stdlib` binary — the installed `guided` — so there it
/// returned false and nothing changed. The hook is set through a C reference instead
/// (CRuntimeHooks), which the linker resolves in static and dynamic builds alike.
///
/// Call once, on the main thread, before any task exists.
public enum GlobalExecutorTakeover {
    /// The runtime's hook type: the job, and the original enqueue (unused: every job goes
    /// to NIO). The same assumption about the hook's ABI that NIO makes.
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Returns false if another global-executor hook was installed first.
    @discardableResult
    public static func install() -> Bool {
        withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { slot in
            slot.baseAddress!.initialize(to: { job, _ in
                // `any()` stays on the current loop when called from one of the group's
                // threads, so a task that is already on NIO does not change threads.
                MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
            })
            return slot.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer.self, capacity: 1) { pointer in
                guide_install_enqueue_global_hook(pointer.pointee) == 1
            }
        }
    }
}
