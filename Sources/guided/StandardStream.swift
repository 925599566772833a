#if canImport(Glibc)
import Glibc
#endif

/// Text to stdout or stderr with plain `write(2)`, whole (short writes and EINTR retried):
/// `FileHandle` would need all of Foundation for two messages.
enum StandardStream {
    case output, error

    func write(_ text: String) {
        let fd: Int32 = self == .output ? STDOUT_FILENO : STDERR_FILENO
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }
}
