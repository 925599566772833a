import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `guidectl watch --waybar` as waybar runs it: stdout a pipe-like file, never a terminal,
/// one JSON object per line, and a process that never exits on its own.
@Suite("guidectl watch --waybar")
struct StatusBarTests {
    /// A 4 s session: A (2 s), then B on each side (1 s each).
    static let short = """
        {"title": "Short", "steps": [
          {"name": "A", "duration": 2, "instructions": "Stand tall."},
          {"name": "B", "duration": 1, "sides": true}
        ]}
        """

    struct WaybarLine: Decodable, Equatable {
        var text: String
        var tooltip: String
        var `class`: String
        var percentage: Int
    }

    static func parse(_ lines: [String]) throws -> [WaybarLine] {
        try lines.map { try JSONDecoder().decode(WaybarLine.self, from: Data($0.utf8)) }
    }

    @Test("one JSON line per change and per second, class = state, percentage rising, across sessions")
    func followsSessions() throws {
        let daemon = try DaemonFixture(sessions: ["short": Self.short])
        try daemon.start()
        let bar = try BackgroundCommand(daemon, ["watch", "--waybar"])
        let idle = try Self.parse(try bar.waitForLines { $0.count >= 1 })
        #expect(idle == [WaybarLine(text: "", tooltip: "guide: idle", class: "idle", percentage: 0)])

        #expect(try daemon.request(.start, session: "short").ok)
        let firstRun = try Self.parse(try bar.waitForLines { $0.last?.contains(#""class":"finished""#) == true })
        let running = firstRun.filter { $0.class == "running" }
        // The started, step and side events, and a tick within the 2 s step.
        #expect(running.count >= 4, "\(firstRun)")
        #expect(running.first?.text == "▶ 1/2 A 0:02")
        #expect(running.first?.tooltip.hasPrefix("Short\n1/2 A: 0:02 left\nStand tall.\n") == true)
        #expect(running.contains { $0.text == "▶ 1/2 A 0:01" }, "a tick between events")
        #expect(running.contains { $0.text == "▶ 2/2 B (left) 0:01" })
        #expect(running.contains { $0.text == "▶ 2/2 B (right) 0:01" })
        #expect(running.map(\.percentage) == running.map(\.percentage).sorted(), "\(running.map(\.percentage))")
        #expect(running.allSatisfy { (0..<100).contains($0.percentage) })
        #expect(firstRun.last == WaybarLine(text: "✓ short", tooltip: "Short: finished", class: "finished", percentage: 100))

        // The module stays for the next session: start, pause, stop.
        let before = bar.lines.count
        #expect(try daemon.request(.start, session: "short").ok)
        #expect(try daemon.request(.pause).ok)
        #expect(try daemon.request(.stop).ok)
        let secondRun = try Self.parse(Array(try bar.waitForLines { $0.count > before && $0.last?.contains(#""class":"idle""#) == true }.dropFirst(before)))
        #expect(secondRun.map(\.class).contains("running"))
        #expect(secondRun.contains { $0.class == "paused" && $0.text.hasPrefix("⏸ 1/2 A") })
        #expect(secondRun.last?.text == "")
        #expect(bar.isRunning)
    }

    @Test("without a daemon: the idle line says why, and the module waits for one")
    func waitsForDaemon() throws {
        let daemon = try DaemonFixture(sessions: ["short": Self.short])
        let bar = try BackgroundCommand(daemon, ["watch", "--waybar", "--format", "{step} {remaining}"])
        let first = try Self.parse(try bar.waitForLines { $0.count >= 1 })
        #expect(first.first?.class == "idle")
        #expect(first.first?.text == "")
        #expect(first.first?.tooltip.contains("no daemon running on \(daemon.socketPath)") == true)
        try daemon.start()
        #expect(try daemon.request(.start, session: "short").ok)
        let lines = try Self.parse(try bar.waitForLines(timeout: .seconds(8)) { $0.contains { $0.contains("A 0:0") } })
        #expect(lines.contains { $0.class == "running" && ($0.text == "A 0:02" || $0.text == "A 0:01") }, "\(lines)")
        #expect(bar.isRunning)
    }

    @Test("a refused subscription shows the daemon's message, not a protocol complaint")
    func refusalMessage() throws {
        let daemon = try DaemonFixture(arguments: ["--max-connections", "1"])
        try daemon.start()
        // The one connection it serves (once the start-up probe's connection is gone): a
        // subscriber, which is busy and so never closed to make room (idle ones are).
        var holder: GuideConnection?
        #expect(eventually {
            guard let connection = try? daemon.connect(), (try? connection.send(Request(command: .subscribe)))?.ok == true else { return false }
            holder = connection
            return true
        })
        let bar = try BackgroundCommand(daemon, ["watch", "--waybar"])
        let first = try Self.parse(try bar.waitForLines { $0.count >= 1 })
        #expect(first.first?.class == "idle")
        #expect(first.first?.tooltip == "guide: the daemon already serves 1 connections, none of them idle; try again later", "\(first)")
        holder?.close()
    }
}

/// A guidectl that keeps running (e.g. `watch --waybar`), its stdout captured in a file
/// (not a terminal), killed when the value goes away.
final class BackgroundCommand {
    let process: ChildProcess
    let outputPath: String

    init(_ daemon: DaemonFixture, _ arguments: [String]) throws {
        outputPath = daemon.root + "/bg-\(UUID().uuidString).out"
        var env = daemon.environment
        env["GUIDE_SOCKET"] = daemon.socketPath
        env["GUIDE_SESSIONS_PATH"] = daemon.sessionsDirectory
        process = try ChildProcess(DaemonFixture.binary("guidectl"), arguments, environment: env, stdout: .file(outputPath))
    }

    var isRunning: Bool { process.isRunning }

    var lines: [String] {
        ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls the output until `done` holds for its lines (whole lines only).
    func waitForLines(timeout: Duration = .seconds(10), until done: ([String]) -> Bool) throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let complete = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).dropLast(text.hasSuffix("\n") ? 0 : 1)
            if done(Array(complete)) { return Array(complete) }
            if ContinuousClock.now > deadline {
                throw FixtureError("timed out; output so far:\n\(text)")
            }
            usleep(20_000)
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
