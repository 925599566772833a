import Dispatch
import GuideDaemon
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The entry point. Before anything else runs, Swift concurrency is moved onto NIO's event
/// loops instead of libdispatch's global queues: on Linux the first global-queue worker
/// starts libdispatch's workqueue monitor, a timer that wakes the process every second for
/// good, and an idle daemon must not wake.
@main
enum GuidedMain {
    static func main() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        Task {
            await Guided.main()  // exits with the right status on errors
            exit(EXIT_SUCCESS)
        }
        // ArgumentParser runs commands on the main actor: serve the main queue on this
        // thread (that needs no global-queue worker).
        dispatchMain()
    }
}
