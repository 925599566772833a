import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 3: one daemon per state directory. A second guided on the same state
/// (beside the service on another socket, or racing another auto-start) stops before it
/// reads or writes any state file, and says who holds it.
@Suite("one guided per state directory")
struct StateLockTests {
    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test("a second guided on the same state directory leaves the first one's session and history alone")
    func secondDaemonTouchesNothing() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        _ = try daemon.request(.stop)
        _ = try daemon.request(.start, session: "long")
        let paused = try #require(try daemon.request(.pause).status)
        let snapshot = daemon.stateDirectory + "/running.json"
        let history = daemon.stateDirectory + "/history.jsonl"
        let savedSnapshot = try #require(Self.contents(snapshot))
        let savedHistory = try #require(Self.contents(history))
        let pid = try #require(daemon.process?.pid)

        let second = try CommandResult.run(
            DaemonFixture.binary("guided"),
            ["--socket", daemon.root + "/other.sock", "--sessions-dir", daemon.sessionsDirectory, "--audio-device", "null"],
            environment: daemon.environment, timeout: .seconds(10))
        #expect(second.status == 1)
        #expect(
            second.stderr
                == "guided: another guided (pid \(pid)) is already using the state directory \(daemon.stateDirectory); stop it first ('guidectl status' talks to it)\n",
            "\(second.stderr)")
        #expect(Self.contents(snapshot) == savedSnapshot)
        #expect(Self.contents(history) == savedHistory)
        #expect(!FileManager.default.fileExists(atPath: daemon.root + "/other.sock"))
        let status = try #require(try daemon.request(.status).status)
        #expect(status.state == .paused)
        #expect(status.step?.remaining == paused.step?.remaining)
    }

    @Test("two guided started at once on a crashed daemon's state: one serves, the session is restored once, no false history")
    func racingStarts() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        _ = try daemon.request(.skip)
        let paused = try #require(try daemon.request(.pause).status)
        daemon.signal(SIGKILL)
        try daemon.waitForExit()

        for round in 0..<3 {
            let errors = (0..<2).map { daemon.root + "/racer-\(round)-\($0).err" }
            let processes = try errors.map { errorPath in
                try ChildProcess(
                    DaemonFixture.binary("guided"),
                    ["--socket", daemon.socketPath, "--sessions-dir", daemon.sessionsDirectory, "--audio-device", "null"],
                    environment: daemon.environment, stderr: .file(errorPath))
            }
            // The loser exits at once; the winner serves.
            #expect(eventually { processes.filter(\.isRunning).count == 1 }, "round \(round): \(daemon.log)")
            let winner = try #require(processes.first { $0.isRunning })
            let loser = try #require(processes.first { !$0.isRunning })
            #expect(loser.exitStatus == 1)
            let loserError = (try? String(contentsOfFile: errors[processes.firstIndex { $0 === loser }!], encoding: .utf8)) ?? ""
            #expect(loserError.hasSuffix("is already using the state directory \(daemon.stateDirectory); stop it first ('guidectl status' talks to it)\n"), "\(loserError)")
            #expect(loserError.split(separator: "\n").count == 1, "one line: \(loserError)")
            #expect(eventually { (try? daemon.request(.status)) != nil })
            let status = try #require(try daemon.request(.status).status)
            #expect(status.state == .paused, "round \(round)")
            #expect(status.restored)
            #expect(status.step?.index == paused.step?.index && status.step?.side == paused.step?.side)
            #expect(abs((status.step?.remaining ?? 0) - (paused.step?.remaining ?? 0)) < 0.5)
            #expect(try daemon.request(.version).version?.pid == winner.pid)
            #expect(daemon.historyLines.isEmpty, "round \(round): \(daemon.historyLines)")
            // The winner dies as the first one did; the next round races on its snapshot.
            winner.kill()
        }
    }

    @Test("a guided that cannot take the socket leaves its own saved session as it found it")
    func socketTakenLeavesStateAlone() throws {
        // A crashed daemon's state, in a state directory of its own.
        let crashed = try DaemonFixture(sessions: ["long": TestSessions.long])
        try crashed.start()
        _ = try crashed.request(.start, session: "long")
        _ = try crashed.request(.pause)
        crashed.signal(SIGKILL)
        try crashed.waitForExit()
        let snapshot = crashed.stateDirectory + "/running.json"
        #expect(FileManager.default.fileExists(atPath: snapshot))

        // Another daemon holds the socket; the second one, on the crashed state, cannot serve.
        let holder = try DaemonFixture()
        try holder.start()
        let second = try CommandResult.run(
            DaemonFixture.binary("guided"),
            ["--socket", holder.socketPath, "--sessions-dir", crashed.sessionsDirectory, "--audio-device", "null"],
            environment: crashed.environment, timeout: .seconds(10))
        #expect(second.status == 1)
        #expect(second.stderr.contains("another guided is already running on \(holder.socketPath)"), "\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: snapshot), "the saved session is kept for a daemon that will serve")
        #expect(crashed.historyLines.isEmpty, "no false 'abandoned': \(crashed.historyLines)")

        try crashed.start()
        #expect(try crashed.request(.status).status?.restored == true)
    }

    @Test("two guidectl commands starting a daemon at once: both succeed and exactly one guided serves")
    func racingAutoStarts() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        let results = UncheckedBox<[CommandResult?]>([nil, nil])
        let threads = (0..<2).map { index in
            Thread {
                let result = try? daemon.guidectl(["reload"])
                results.modify { $0[index] = result }
            }
        }
        for thread in threads { thread.start() }
        #expect(eventually(timeout: .seconds(30)) { results.value.allSatisfy { $0 != nil } })
        for result in results.value {
            #expect(result?.status == 0, "\(result?.stderr ?? "no result")")
        }
        // The loser may still be on its way to the lock when both commands are answered.
        #expect(eventually { DaemonFixture.strayDaemons(under: daemon.root).count == 1 }, "\(DaemonFixture.strayDaemons(under: daemon.root))")
        let serving = DaemonFixture.strayDaemons(under: daemon.root)
        #expect(try daemon.request(.version).version?.pid == serving.first)
        #expect(try daemon.request(.status).status?.state == .idle)
        #expect(daemon.historyLines.isEmpty)
    }
}

/// A value the test's threads write one slot each of, read after they are done.
final class UncheckedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func modify(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
