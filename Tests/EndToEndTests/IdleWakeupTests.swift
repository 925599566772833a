import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An idle daemon must cost nothing: no thread of `guided` may be scheduled while nothing
/// is due — not before a session, not after one (with hooks run, a SIGHUP reload, a pause
/// and a resume behind it), and not while paused. libdispatch's workqueue monitor (a 1 s
/// timer, started by the first global-queue worker) is what this catches.
///
/// Benchmarks/RESULTS.md measures the same over 60 s windows; here a few seconds suffice,
/// because the monitor would wake the process every second.
@Suite("an idle daemon does not wake up")
struct IdleWakeupTests {
    /// One second per step: 2 s in all.
    static let tiny = """
        {"title": "Tiny", "steps": [{"name": "One", "duration": 1}, {"name": "Two", "duration": 1}]}
        """

    /// Context switches of every thread of `pid` (each is one time the thread was
    /// scheduled off the CPU: a wake-up came before it or comes after it).
    static func contextSwitches(_ pid: pid_t) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var total = 0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            // "voluntary_ctxt_switches:\t12" and "nonvoluntary_ctxt_switches:\t3"
            for line in text.split(separator: "\n") where line.contains("ctxt_switches:") {
                total += Int(line.split(separator: "\t").last ?? "") ?? 0
            }
        }
        return total
    }

    /// Wake-ups of the daemon over `window`, with no client connected.
    static func wakeups(_ daemon: DaemonFixture, over window: Duration) async throws -> Int {
        let pid = try #require(daemon.process?.pid)
        let before = contextSwitches(pid)
        try await Task.sleep(for: window)
        return contextSwitches(pid) - before
    }

    @Test("after a session with a hook, a reload, a pause and a resume, guided stays asleep")
    func afterSession() async throws {
        let daemon = try DaemonFixture(sessions: ["tiny": Self.tiny])
        try HooksTests.installHook(daemon, "10-drain", "#!/bin/sh\ncat >/dev/null\n")
        try daemon.start()
        // One SIGHUP the moment the socket accepts: the daemon listens for it by then.
        daemon.signal(SIGHUP)
        #expect(await daemon.logContains("sessions reloaded", timeout: .seconds(30)), "\(daemon.log)")
        _ = try daemon.request(.start, session: "tiny")
        _ = try daemon.request(.pause)
        _ = try daemon.request(.resume)
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        _ = try await SubscriptionTests.eventsAwaiting(on: watcher, until: .finished)
        watcher.close()
        // One-off work may follow the end: the sound device is released 5 s after the last
        // cue, and a libdispatch thread that handled the SIGHUP retires after 5 s idle.
        try await Task.sleep(for: .seconds(6))
        let woke = try await Self.wakeups(daemon, over: .seconds(4))
        #expect(woke <= 1, "guided was scheduled \(woke) times in 4 s while idle (a periodic timer?)")
        #expect(daemon.isRunning)
    }

    @Test("a paused session sets no timer")
    func whilePaused() async throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        _ = try daemon.request(.pause)
        // The device is released 5 s after the start cue; after that nothing is due.
        try await Task.sleep(for: .seconds(6))
        let woke = try await Self.wakeups(daemon, over: .seconds(4))
        #expect(woke <= 1, "guided was scheduled \(woke) times in 4 s while paused (a periodic timer?)")
        let status = try daemon.request(.status)
        #expect(status.status?.state == .paused)
    }
}
