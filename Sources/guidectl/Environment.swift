#if canImport(Glibc)
import Glibc
#endif

/// The process environment read with libc: one variable with `getenv`, no dictionary of
/// them all (what `ProcessInfo.processInfo.environment` builds on every call).
enum Environment {
    /// The value of `name`, or nil when it is not set.
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

}
