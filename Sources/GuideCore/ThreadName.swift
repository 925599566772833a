#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Names the calling thread, as `ps -L`, `top -H` and /proc/PID/task/*/comm show it.
///
/// Why: Linux gives a new thread its creator's name, so every thread guided starts from
/// an event loop was called "NIO-SGLTN-1-#0" and looked like another event loop.
public enum ThreadName {
    /// Sets the name, cut to the kernel's 15 bytes. Through /proc/thread-self/comm, which
    /// is what pthread_setname_np does for the calling thread (Swift's Glibc module does
    /// not declare that GNU function).
    public static func setCurrent(_ name: String) {
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #endif
    }
}
