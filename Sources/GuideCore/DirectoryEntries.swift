#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The names in a directory, by `opendir`/`readdir`: guide's one loop over a directory
/// (the session library's folders, the daemon's own threads in /proc/self/task).
public enum DirectoryEntries {
    /// The entry names of `directory` except `.` and `..`, in the order the file system
    /// gives them; the errno that stopped the listing otherwise.
    public static func names(in directory: String) -> Result<[String], SystemError> {
        guard let handle = opendir(directory) else { return .failure(.current()) }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { return .failure(.current()) }
                return .success(names)
            }
            var raw = entry.pointee.d_name
            let name = withUnsafeBytes(of: &raw) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
    }
}
