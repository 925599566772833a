import Foundation
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Log lines carry syslog priorities under journald and timestamps elsewhere.
@Suite("guided logging")
struct JournalLoggingTests {
    @Test("with JOURNAL_STREAM naming stderr: <N> priority prefixes and no timestamps")
    func journal() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        var info = stat()
        #expect(stat(daemon.logPath, &info) == 0)
        daemon.extraEnvironment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        try daemon.start()
        _ = try daemon.request(.start, session: "quick")
        _ = try daemon.request(.stop)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("<5>session started") && $0.contains("session=quick") }, "\(daemon.log)")
        #expect(lines.contains { $0.hasPrefix("<5>session stopped") })
        #expect(lines.contains { $0.hasPrefix("<7>") }, "debug lines are priority 7")
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "\(daemon.log)")
        #expect(daemon.log.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"#, options: .regularExpression) == nil, "no timestamps")
    }

    @Test("otherwise: human lines with a timestamp and the level")
    func human() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        daemon.extraEnvironment["JOURNAL_STREAM"] = "1:2"  // someone else's stream
        try daemon.start()
        _ = try daemon.request(.start, session: "quick")
        let line = try #require(daemon.log.split(separator: "\n").first { $0.contains("session started") })
        #expect(line.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3} notice session started"#, options: .regularExpression) != nil, "\(line)")
    }
}
