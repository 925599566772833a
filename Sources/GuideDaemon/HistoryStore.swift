import GuideCore
import GuideProtocol
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The append-only record of ended sessions, `$XDG_STATE_HOME/guide/history.jsonl`.
///
/// Each entry is one JSON line written with a single `write(2)` on an `O_APPEND`
/// descriptor and then `fsync`'d, so a crash can leave at most a missing line, never a
/// line half-written into the middle of the file. Lines that do not parse (a torn last
/// line from an older version, a hand edit) are skipped with a warning when reading.
public final class HistoryStore: Sendable {
    public let path: String
    private let logger: Logger

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Creates the history's directory (0700) if needed; returns why it cannot be used, if it
    /// cannot. The daemon checks this at startup so that a read-only or misplaced state
    /// directory is reported before a session's end finds it.
    public func checkDirectory() -> String? {
        if let problem = createDirectory() { return problem }
        let directory = self.directory
        var info = stat()
        guard stat(directory, &info) == 0 else { return "cannot use \(directory): \(SystemError.current())" }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
        guard access(directory, W_OK | X_OK) == 0 else { return "cannot write to \(directory): \(SystemError.current())" }
        return nil
    }

    /// Appends `entry`; failures (read-only or full disk) are returned, never thrown past the
    /// caller, because a session must go on whatever happens to its record.
    @discardableResult
    public func append(_ entry: HistoryEntry) -> String? {
        append(line: WireCoding.encodeLine(entry))
    }

    /// Appends one encoded JSON line (a session's entry or a reminder's ``ReminderRecord``).
    @discardableResult
    public func append(line encoded: [UInt8]) -> String? {
        if let problem = createDirectory() { return fail(problem) }
        // Read-write, not write-only: the check for a torn last line below reads one byte.
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return fail("cannot open \(path): \(SystemError.current())") }
        defer { close(fd) }
        // A previous crash may have left a torn line without its newline: start on a new line.
        var line = encoded
        if endsWithoutNewline(fd) { line.insert(0x0A, at: 0) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let reason = written < 0 ? SystemError.current().description : "short write"
            return fail("cannot write \(path): \(reason)")
        }
        guard fsync(fd) == 0 else { return fail("cannot fsync \(path): \(SystemError.current())") }
        return nil
    }

    /// The newest `limit` entries, oldest first.
    public func latest(_ limit: Int) throws(HistoryReadError) -> [HistoryEntry] {
        try contents(limit: limit).sessions
    }

    /// The newest `limit` reminder outcomes (``ReminderRecord`` lines), oldest first.
    public func reminderRecords(_ limit: Int) throws(HistoryReadError) -> [ReminderRecord] {
        try contents(limit: limit).reminders
    }

    /// The newest `limit` sessions and reminder outcomes, each oldest first, from one read
    /// of the file in which every line is parsed once: a session's entry, else a
    /// reminder's outcome, else unreadable (counted and logged).
    public func contents(limit: Int) throws(HistoryReadError) -> (sessions: [HistoryEntry], reminders: [ReminderRecord]) {
        guard let contents = try readAll() else { return ([], []) }
        var sessions: [HistoryEntry] = []
        var reminders: [ReminderRecord] = []
        var skipped = 0
        for line in contents.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard let value = try? JSONParser.parse(line) else {
                skipped += 1
                continue
            }
            if let entry = try? HistoryEntry(wire: value) {
                sessions.append(entry)
            } else if let record = try? ReminderRecord(wire: value) {
                reminders.append(record)
            } else {
                skipped += 1
            }
        }
        if skipped > 0 {
            logger.warning("skipped unreadable history lines", metadata: ["file": "\(path)", "count": "\(skipped)"])
        }
        return (Array(sessions.suffix(limit)), Array(reminders.suffix(limit)))
    }

    /// The whole file, nil when there is none yet.
    private func readAll() throws(HistoryReadError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw HistoryReadError("cannot open \(path): \(SystemError.current())")
        }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HistoryReadError("cannot read \(path): \(SystemError.current())")
            }
            if n == 0 { return contents }
            contents.append(contentsOf: chunk[0..<n])
        }
    }

    /// The history's directory and its parents, created 0700 where missing.
    private func createDirectory() -> String? {
        var built = ""
        for component in directory.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o700) != 0, errno != EEXIST {
                return "cannot create \(built): \(SystemError.current())"
            }
        }
        return nil
    }

    /// The directory part of ``path``.
    private var directory: String {
        let parent = parentDirectory(of: path)
        return parent.isEmpty ? "." : parent
    }

    private func endsWithoutNewline(_ fd: Int32) -> Bool {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        var last: UInt8 = 0
        return pread(fd, &last, 1, size - 1) == 1 && last != 0x0A
    }

    private func fail(_ message: String) -> String {
        logger.error("history not written", metadata: ["reason": "\(message)"])
        return message
    }
}

/// The history file exists but cannot be read.
public struct HistoryReadError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
