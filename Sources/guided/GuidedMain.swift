import Dispatch
import GuideDaemon
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
        OneEventLoop.configure()
        // (Not NIO's own installer: it silently fails in --static-swift-stdlib builds.)
        if !GlobalExecutorTakeover.install() {
            let line = "guided: warning: Swift concurrency stays on libdispatch (another executor hook is installed); an idle daemon will wake once a second\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
        Task {
            await Guided.main()  // exits with the right status on errors
            exit(EXIT_SUCCESS)
        }
        // ArgumentParser runs commands on the main actor: serve the main queue on this
        // thread (that needs no global-queue worker).
        dispatchMain()
    }
}
