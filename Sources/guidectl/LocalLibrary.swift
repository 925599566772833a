#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

/// The session files as the daemon would find them, read directly: for shell completion
/// and for `show` when no daemon can be reached. Uses the same search path as `guided`
/// (the daemon's own `--sessions-dir` flags are not known here; GUIDE_SESSIONS_PATH is).
enum LocalLibrary {
    static func directories() -> [String] {
        SearchPath.forCurrentProcess(flags: [], environment: ProcessInfo.processInfo.environment)
    }

    static func load() -> SessionLibrary {
        SessionLibrary.load(directories: directories())
    }

    /// Completion for a session NAME argument: the names of the sessions on disk.
    @Sendable static func completeNames(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        load().names.filter { $0.hasPrefix(prefix) }
    }
}
