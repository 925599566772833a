import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16: the real `guided` re-plans its reminders at once when the time zone changes.
///
/// The machine's `/etc/localtime` is never touched: the daemon runs in a mount namespace
/// of its own (`unshare -m`) with an overlay over `/etc`, and the test replaces
/// `/etc/localtime` inside that namespace (`nsenter -m`) as `timedatectl set-timezone`
/// does — a new symlink renamed over the old one. (A clock *set* cannot be tested this
/// way: no namespace covers CLOCK_REALTIME; see GuideDaemonTests' WallClockWatcherTests.)
@Suite("time zone change", .timeLimit(.minutes(2)))
struct TimeZoneChangeTests {
    @Test("replacing /etc/localtime moves an 'at' reminder to the new zone's time within a second")
    func zoneChangeReplansAtOnce() throws {
        let daemon = try DaemonFixture()
        let schedule = daemon.root + "/schedule.json"
        try #"{"reminders": [{"name": "noon", "say": "Lunch", "at": ["12:00"]}]}"#.write(toFile: schedule, atomically: true, encoding: .utf8)
        let upper = daemon.root + "/etc-upper", work = daemon.root + "/etc-work"
        for directory in [upper, work] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }

        var environment = daemon.environment
        environment.removeValue(forKey: "TZ")  // the zone comes from /etc/localtime
        environment["GUIDE_SCHEDULE"] = schedule
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = [
            "-m", "--propagation", "private", "/bin/sh", "-c",
            #"up=$1 work=$2; shift 2; mount -t overlay overlay -o "lowerdir=/etc,upperdir=$up,workdir=$work" /etc && exec "$@""#,
            "sh", upper, work, DaemonFixture.binary("guided"), "--socket", daemon.socketPath, "--sessions-dir", daemon.sessionsDirectory,
            "--audio-device", "null", "--log-level", "debug",
        ]
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: daemon.logPath))
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try daemon.waitUntilReady()

        func noon() throws -> String? {
            try daemon.connect().send(Request(command: .schedule)).schedule?.reminders.first { $0.name == "noon" }?.at
        }
        let before = try #require(try noon(), "log: \(daemon.log)")

        // 12:00 in Tokyo (UTC+9, no DST) is 03:00 UTC: the next one after now.
        let now = Date().timeIntervalSince1970
        let today3 = (now / 86_400).rounded(.down) * 86_400 + 3 * 3600
        let expected = WireTime.iso(today3 > now ? today3 : today3 + 86_400)
        try #require(before != expected, "the machine's own zone must differ from Asia/Tokyo for this test")

        let change = try CommandResult.run(
            "/usr/bin/nsenter",
            [
                "-t", "\(process.processIdentifier)", "-m", "--", "/bin/sh", "-c",
                "ln -s /usr/share/zoneinfo/Asia/Tokyo /etc/.localtime.guide-test && mv -T /etc/.localtime.guide-test /etc/localtime",
            ], environment: environment)
        #expect(change.status == 0, "\(change.stderr)")
        let changedAt = ContinuousClock.now
        var after = before
        while after == before, ContinuousClock.now - changedAt < .seconds(5) {
            usleep(5_000)
            after = try noon() ?? before
        }
        let took = ContinuousClock.now - changedAt
        #expect(after == expected, "log: \(daemon.log)")
        #expect(took < .seconds(1), "re-planned after \(took)")
        #expect(daemon.log.contains(#"wall clock changed; re-planning reminders change="time zone""#))
        // The machine's own zone file is untouched.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime")) != "/usr/share/zoneinfo/Asia/Tokyo")
    }
}
