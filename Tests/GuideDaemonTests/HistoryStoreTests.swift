import GuideCore
import GuideDaemon
import GuideProtocol
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `history.jsonl` keeps its format: files written by every earlier version read back,
/// and new lines are written in the same form.
@Suite struct HistoryStoreTests {
    /// Lines as the first versions wrote them (`JSONEncoder`, sorted keys), a torn line
    /// left by a crash, and a hand edit.
    static let oldFile = """
        {"elapsed":59.999,"endedAt":"2025-05-01T18:31:00Z","outcome":"stopped","session":"cooldown","startedAt":"2025-05-01T18:30:00Z","title":"Cool","total":535.5}
        {"elapsed":5,"endedAt":"2025-05-02T07:00:05Z","outcome":"replaced","session":"x","startedAt":"2025-05-02T07:00:00Z","title":"Replaced","total":30}
        {"elapsed":12,"endedAt":"2025-05-0
        not json at all
        {"elapsed":600.25,"endedAt":"2025-05-03T18:40:00Z","outcome":"finished","session":"cooldown","startedAt":"2025-05-03T18:30:00Z","title":"Cool / \\"down\\" é","total":600}

        """

    static let oldEntries = [
        HistoryEntry(
            session: "cooldown", title: "Cool", outcome: .stopped, startedAt: "2025-05-01T18:30:00Z", endedAt: "2025-05-01T18:31:00Z",
            elapsed: 59.999, total: 535.5),
        HistoryEntry(
            session: "x", title: "Replaced", outcome: .replaced, startedAt: "2025-05-02T07:00:00Z", endedAt: "2025-05-02T07:00:05Z",
            elapsed: 5, total: 30),
        HistoryEntry(
            session: "cooldown", title: "Cool / \"down\" é", outcome: .finished, startedAt: "2025-05-03T18:30:00Z",
            endedAt: "2025-05-03T18:40:00Z", elapsed: 600.25, total: 600),
    ]

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/guide-history-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw WireValueError("mkdtemp failed") }
        return String(cString: made)
    }

    static func contents(_ path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ text: String, to path: String) {
        let file = fopen(path, "w")!
        _ = text.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, file) }
        fclose(file)
    }

    static func removeTree(_ directory: String) {
        for name in ["state/guide/history.jsonl", "history.jsonl"] { unlink(directory + "/" + name) }
        rmdir(directory + "/state/guide")
        rmdir(directory + "/state")
        rmdir(directory)
    }

    @Test func readsLinesWrittenByEarlierVersionsSkippingBrokenOnes() throws {
        let directory = try Self.temporaryDirectory()
        defer { Self.removeTree(directory) }
        let path = directory + "/history.jsonl"
        Self.write(Self.oldFile, to: path)
        let store = HistoryStore(path: path, logger: Logger(label: "test"))
        #expect(try store.latest(10) == Self.oldEntries)
        #expect(try store.latest(1) == [Self.oldEntries[2]])
    }

    @Test func writesTheSameFormAndReadsItBack() throws {
        let directory = try Self.temporaryDirectory()
        defer { Self.removeTree(directory) }
        let path = directory + "/state/guide/history.jsonl"
        let store = HistoryStore(path: path, logger: Logger(label: "test"))
        #expect(try store.latest(5) == [])
        for entry in Self.oldEntries { #expect(store.append(entry) == nil) }
        let goldenLines = Self.oldFile.split(separator: "\n").filter { $0.hasSuffix("}") }.map { $0 + "\n" }.joined()
        #expect(Self.contents(path) == goldenLines)
        #expect(try store.latest(10) == Self.oldEntries)
    }

    @Test func aTornLastLineIsEndedBeforeTheNextEntry() throws {
        let directory = try Self.temporaryDirectory()
        defer { Self.removeTree(directory) }
        let path = directory + "/history.jsonl"
        Self.write(#"{"elapsed":12,"endedAt":"2025"#, to: path)
        let store = HistoryStore(path: path, logger: Logger(label: "test"))
        #expect(store.append(Self.oldEntries[0]) == nil)
        #expect(try store.latest(10) == [Self.oldEntries[0]])
    }
}
