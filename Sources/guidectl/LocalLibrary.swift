#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

/// The session files as the daemon would find them, read directly: for shell completion
/// and for `list` and `show` when no daemon is running. Uses the same search path as `guided`
/// (the daemon's own `--sessions-dir` flags are not known here; GUIDE_SESSIONS_PATH is).
enum LocalLibrary {
    static func directories() -> [String] {
        SearchPath.forCurrentProcess(flags: [], environment: ProcessInfo.processInfo.environment)
    }

    static func load() -> SessionLibrary {
        SessionLibrary.load(directories: directories())
    }

    /// Completion for a session NAME argument: the names of the sessions on disk, those
    /// whose file is broken included — the daemon keeps serving the version it loaded
    /// before, so `start NAME` still works for them.
    @Sendable static func completeNames(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        let library = load()
        let names = Set(library.names + library.errors.compactMap(\.name))
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
