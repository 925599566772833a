import Foundation
import GuideProtocol
import GuideTestSupport
import Testing

/// guided serves everything on one NIO event loop (``OneEventLoop``): a connection
/// accepted on one loop and served on another paid two thread hand-offs per request of
/// a fresh `guidectl status`.
@Suite("guided's event loop")
struct EventLoopThreadTests {
    /// The names of `pid`'s threads, from /proc. NIO names its loop threads NIO-SGLTN-…;
    /// guided names the threads it starts itself (a new thread would inherit the name of
    /// the loop that started it).
    static func threadNames(_ pid: pid_t) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test("one event-loop thread serves many connections and a session; NIO_SINGLETON_GROUP_LOOP_COUNT still overrides it")
    func oneLoop() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        for _ in 0..<50 {
            #expect(try daemon.request(.status).status?.state == .running)
        }
        let pid = try #require(daemon.process?.pid)
        // Await the names rather than read them once: a thread a loop has just started
        // (the snapshot's fsync thread) carries the loop's name until it names itself, and
        // on a busy machine that moment can be long.
        #expect(eventually { Self.threadNames(pid).filter { $0.hasPrefix("NIO-SGLTN") }.count == 1 }, "event-loop threads: \(Self.threadNames(pid))")
        #expect(eventually { Self.threadNames(pid).contains("guide-player") }, "the cue player's thread has its name: \(Self.threadNames(pid))")
        watcher.close()

        let wide = try DaemonFixture(environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "2"])
        try wide.start()
        #expect(try wide.request(.status).ok)
        let widePID = try #require(wide.process?.pid)
        #expect(eventually { Self.threadNames(widePID).filter { $0.hasPrefix("NIO-SGLTN") }.count == 2 }, "\(Self.threadNames(widePID))")
    }
}
