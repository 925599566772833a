import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 2: a client that sends requests and never reads the replies grew the
/// daemon by 848 MB (38 MB of pipelined `status` lines). Reading must stop while replies
/// cannot be written, for every kind of request, and what a connection leaves unsent is
/// capped.
@Suite("guided and clients that do not read")
struct BackpressureTests {
    /// Bytes `pid` has read so far (`rchar` of /proc/PID/io): how far a `socat -u` got.
    static func bytesRead(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("rchar:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    /// Status round trips on a fresh connection: each one's time.
    static func statusTimes(_ daemon: DaemonFixture, count: Int) throws -> [Duration] {
        let connection = try daemon.connect()
        var times: [Duration] = []
        for _ in 0..<count {
            let began = ContinuousClock.now
            #expect(try connection.send(Request(command: .status)).ok)
            times.append(ContinuousClock.now - began)
        }
        return times
    }

    /// 100 status lines, or 100 status lines and a `list` and a `show`.
    static let batches = [
        String(repeating: #"{"id":1,"command":"status"}"# + "\n", count: 100),
        String(repeating: #"{"id":1,"command":"status"}"# + "\n", count: 100) + #"{"id":2,"command":"list"}"# + "\n"
            + #"{"id":3,"command":"show","session":"long"}"# + "\n",
    ]

    @Test(
        "40 MB of requests that are never read: the daemon stops reading, stays small, and serves everyone else",
        arguments: batches)
    func floodWithoutReading(batch: String) throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        #expect(try daemon.request(.start, session: "long").ok)  // a running session: every status is a full one
        _ = try Self.statusTimes(daemon, count: 5)
        let baseline = try #require(daemon.residentKiB)

        // ~40 MB of requests, written by `socat -u`, which never reads the socket.
        let total = 40_000_000
        let file = daemon.root + "/flood.ndjson"
        _ = FileManager.default.createFile(atPath: file, contents: Data(String(repeating: batch, count: total / batch.utf8.count).utf8))
        let flooder = try ChildProcess("/usr/bin/socat", ["-u", "OPEN:\(file)", "UNIX-CONNECT:\(daemon.socketPath)"], environment: [:])
        defer { flooder.kill() }

        // Wait until it stalls (nothing more read from its file for a second), for 20 s at
        // most: a daemon that answers into memory keeps reading (the old one took 38 MB
        // and grew by 848 MB).
        var read = 0
        var unchangedSince = ContinuousClock.now
        let giveUp = ContinuousClock.now + .seconds(20)
        var stalled = false
        while flooder.isRunning, ContinuousClock.now < giveUp, !stalled {
            usleep(100_000)
            let now = Self.bytesRead(flooder.pid) ?? read
            if now != read { unchangedSince = ContinuousClock.now }
            read = now
            stalled = ContinuousClock.now - unchangedSince >= .seconds(1)
        }
        var peak = try #require(daemon.residentKiB)

        // Everyone else is served as usual meanwhile.
        let times = try Self.statusTimes(daemon, count: 20).sorted()
        peak = max(peak, daemon.residentKiB ?? 0)
        #expect(stalled && flooder.isRunning, "the daemon must stop reading: the flooder got \(read) of \(total) bytes out")
        #expect(times[times.count / 2] < .milliseconds(50), "other clients' status: median \(times[times.count / 2]), worst \(times.last!)")

        // The flooder goes away; the daemon goes on.
        flooder.kill()
        #expect(try daemon.request(.status).status?.state == .running)
        #expect(try daemon.request(.list).sessions?.count == 1)
        peak = max(peak, daemon.residentKiB ?? 0)
        #expect(peak - baseline < 30 * 1024, "RSS grew from \(baseline) KiB to \(peak) KiB")
        print("flood: \(read) of \(total) bytes read before the daemon stopped reading; RSS \(baseline) → peak \(peak) KiB; others' status median \(times[times.count / 2]), worst \(times.last!)")
    }

    @Test("a subscriber whose unsent events pass the byte limit is closed and logged; the daemon stays small")
    func unsentLimit() throws {
        // 10,000-character instructions make every event ~10 KB: 8 MiB of them is ~840 events,
        // fewer than the (raised) backlog limit, so the byte limit is what cuts it off.
        let instructions = String(repeating: "Breathe out slowly. ", count: 500)
        let bulky = #"{"title": "Bulky", "steps": [{"name": "Hold", "duration": "10m", "instructions": "\#(instructions)"}]}"#
        let daemon = try DaemonFixture(sessions: ["bulky": bulky], arguments: ["--subscriber-backlog", "100000"])
        try daemon.start()
        let stuck = try daemon.connect()
        #expect(try stuck.send(Request(command: .subscribe)).ok)
        let control = try daemon.connect()
        #expect(try control.send(Request(command: .start, session: "bulky")).ok)
        let baseline = try #require(daemon.residentKiB)

        // Each reload is one `reloaded` event, with the whole status, for the subscriber.
        var reloads = 0
        while reloads < 3000, !daemon.log.contains("closed a connection whose unsent replies passed the limit") {
            #expect(try control.send(Request(command: .reload)).ok)
            reloads += 1
        }
        let after = try #require(daemon.residentKiB)
        #expect(daemon.log.contains("closed a connection whose unsent replies passed the limit"), "after \(reloads) events")
        #expect(reloads > 500, "not before about 8 MiB: \(reloads) events")
        #expect(HardeningTests.closedByDaemon(stuck, within: .seconds(10)))
        #expect(try control.send(Request(command: .status)).ok)
        #expect(after - baseline < 30 * 1024, "RSS grew from \(baseline) KiB to \(after) KiB")
        print("unsent limit: subscriber closed after \(reloads) events of ~10 KB; RSS \(baseline) → \(after) KiB")
    }
}
