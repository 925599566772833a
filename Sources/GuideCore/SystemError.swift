#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call's errno, typed: compare ``errno`` (never the text), print
/// ``description`` (strerror's text, e.g. "No such file or directory"). guide's one way to
/// turn an errno into words.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    /// The calling thread's errno now, right after the call that failed.
    public static func current() -> SystemError {
        SystemError(errno: currentErrno())
    }

    public var description: String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text)
    }
}

/// errno, read outside ``SystemError`` (whose own `errno` property hides the global).
private func currentErrno() -> Int32 { errno }
