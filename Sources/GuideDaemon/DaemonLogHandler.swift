import FoundationEssentials
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Log lines on stderr in one of two shapes:
/// - under journald (`JOURNAL_STREAM` names our stderr): `<5>session started session=cooldown`:
///   the `<N>` syslog priority prefix lets journald set the level, and it adds its own time;
/// - otherwise: `2026-11-25T15:40:00.123Z notice session started session=cooldown`.
public struct DaemonLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let journal: Bool
    private let label: String

    public init(label: String, level: Logger.Level, journal: Bool) {
        self.label = label
        self.logLevel = level
        self.journal = journal
    }

    /// Whether stderr is the stream journald gave us (sd_journal_stream_fd's contract).
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = journal ? "<\(DaemonLogHandler.priority(event.level))>" : "\(Date().formatted(.iso8601.time(includingFractionalSeconds: true).year().month().day())) \(event.level) "
        line += "\(event.message)"
        if let error = event.error { line += ": \(error)" }
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            line += " \(key)=" + DaemonLogHandler.logfmtValue("\(merged[key]!)")
        }
        line += "\n"
        // One write(2) per line, so lines from several threads never interleave.
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// A metadata value as logfmt writes it: bare when it is a plain word, else in double
    /// quotes with `\` and `"` escaped and control characters as `\n`, `\t`, `\r` or
    /// `\u{XX}`, so that `error="cannot open ALSA device \"default\": …"` stays one value
    /// for logfmt parsers (and one line for journald).
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                quoted += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// syslog(3) priorities.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
