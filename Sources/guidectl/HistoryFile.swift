#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideProtocol

/// `$XDG_STATE_HOME/guide/history.jsonl` read directly, for `history` when no daemon is
/// running (a read-only command never starts one). The daemon appends whole, fsync'd
/// lines; a line that does not decode (a torn last line) is skipped, as the daemon does.
enum HistoryFile {
    /// `$XDG_STATE_HOME/guide/history.jsonl`, default `~/.local/state/guide/history.jsonl`.
    static func path() -> String? {
        if let state = Environment.value("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/guide/history.jsonl" }
        guard let home = Environment.value("HOME"), home.hasPrefix("/") else { return nil }
        return home + "/.local/state/guide/history.jsonl"
    }

    /// The newest `limit` entries in the order they were written; none when there is no file.
    static func latest(_ limit: Int) -> [HistoryEntry] {
        guard let path = path(), let data = FileManager.default.contents(atPath: path) else { return [] }
        let entries = data.split(separator: 0x0A, omittingEmptySubsequences: true).compactMap { line in
            try? WireCoding.decode(HistoryEntry.self, from: Array(line))
        }
        return Array(entries.suffix(limit))
    }
}
