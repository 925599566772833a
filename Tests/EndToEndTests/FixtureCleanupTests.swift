import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 7: the suite leaves no process behind. A daemon that guidectl started on
/// its own (detached, parent pid 1) is not the fixture's child; the fixture still ends it.
@Suite("DaemonFixture cleans up")
struct FixtureCleanupTests {
    @Test("a daemon guidectl started on its own is killed with the fixture, and its home stays gone")
    func autoStartedDaemonEnds() throws {
        var pid: pid_t = 0
        var root = ""
        do {
            let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
            root = daemon.root
            let reload = try daemon.guidectl(["reload"])  // needs a daemon: starts one
            #expect(reload.status == 0, "\(reload.stderr)")
            pid = try #require(try daemon.request(.version).version?.pid)
            #expect(daemon.process == nil, "not the fixture's own daemon")
        }
        #expect(pid > 0)
        #expect(kill(pid, 0) != 0 || Self.isZombie(pid), "guided \(pid) outlived its fixture")
        usleep(300_000)  // a live daemon would put its socket directory back by now
        #expect(!FileManager.default.fileExists(atPath: root), "\(root) was re-created")
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
