import Foundation
import GuideCore
import GuideDaemon
import GuideTestSupport
import Logging
import Synchronization
import Testing

/// Issue 13, item 4: a crash resume restores where the daemon was last alive, never
/// counting the time it was dead, and runs the session as it was started.
@Suite("SnapshotStore")
struct SnapshotStoreTests {
    /// A monotonic clock (ns) the test sets.
    final class Monotonic: Sendable {
        private let value = Mutex<Int64>(1_000_000_000_000)
        var now: Int64 { value.withLock { $0 } }
        func advance(seconds: Double) { value.withLock { $0 += Int64(seconds * 1e9) } }
    }

    /// A `sleep` that returns only when the test releases it (and throws when cancelled),
    /// so that every last-alive mark happens at a moment the test chose.
    final class SleepGate: Sendable {
        private struct State {
            var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
            var nextID = 0
            var calls = 0
        }
        private let state = Mutex(State())

        var calls: Int { state.withLock { $0.calls } }
        var waiting: Int { state.withLock { $0.waiting.count } }

        func sleep(_ duration: Duration) async throws {
            let id = state.withLock { state -> Int in
                state.calls += 1
                state.nextID += 1
                return state.nextID
            }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let cancelled = state.withLock { state -> Bool in
                        if Task.isCancelled { return true }
                        state.waiting[id] = continuation
                        return false
                    }
                    if cancelled { continuation.resume(throwing: CancellationError()) }
                }
            } onCancel: {
                state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
            }
        }

        /// Lets every waiting sleeper return.
        func release() {
            for continuation in state.withLock({ state in defer { state.waiting = [:] }; return Array(state.waiting.values) }) {
                continuation.resume()
            }
        }
    }

    struct Rig {
        let directory: String
        let monotonic = Monotonic()
        let gate = SleepGate()
        let store: SnapshotStore

        init(bootID: String = "boot-a") throws {
            directory = NSTemporaryDirectory() + "guide-snapshot-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = Self.store(directory, monotonic, gate, bootID: bootID)
        }

        static func store(_ directory: String, _ monotonic: Monotonic, _ gate: SleepGate, bootID: String) -> SnapshotStore {
            SnapshotStore(
                path: directory + "/running.json", logger: Logger(label: "test"), sleep: { try await gate.sleep($0) },
                monotonicNanoseconds: { monotonic.now }, bootID: bootID)
        }

        /// The store a daemon started later (perhaps after a reboot) would use.
        func nextDaemon(bootID: String = "boot-a") -> SnapshotStore { Self.store(directory, monotonic, SleepGate(), bootID: bootID) }

        var file: String { (try? String(contentsOfFile: directory + "/running.json", encoding: .utf8)) ?? "" }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static let session = try! SessionDecoder.decode(
        Array(#"{"title": "Three", "steps": [{"name": "A", "duration": 1}, {"name": "B", "duration": 1}, {"name": "C", "duration": 1}]}"#.utf8),
        fileName: "three.json")

    /// Waits (a real 5 s at most) until `condition` holds.
    static func until(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("a running session is restored where the last mark left it, not where the clock is now")
    func restoresAtTheLastMark() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        runner.start(Self.session)
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 1 }, "a mark is pending while the session runs")

        // One second later the mark is written...
        rig.monotonic.advance(seconds: 1)
        let before = rig.file
        rig.gate.release()
        #expect(await Self.until { rig.file != before })
        #expect(await Self.until { rig.gate.waiting == 1 })
        // ...then the daemon dies and stays dead for 6 s (the 3 s session's end is long past).
        rig.monotonic.advance(seconds: 6)
        let saved = try #require(rig.nextDaemon().load())
        #expect(saved.restorePosition == .seconds(1))
        #expect(saved.definition == Self.session)
        var restored = Runner(clock: clock)
        restored.restorePaused(try #require(saved.definition), elapsed: saved.restorePosition, startedAt: saved.startedAt)
        #expect(restored.state == .paused)
        #expect(restored.status.step?.name == "B")
        #expect(restored.status.elapsed == 1)
    }

    @Test("a mark that comes late after a stall (SIGSTOP, then the watchdog) does not count the stall")
    func stallIsNotLife() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        var runner = Runner(clock: ManualClock())
        runner.start(Self.session)
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 1 })
        // On time: the mark moves a second.
        rig.monotonic.advance(seconds: 1)
        rig.gate.release()
        #expect(await Self.until { rig.gate.waiting == 1 })
        #expect(try #require(rig.nextDaemon().load()).restorePosition == .seconds(1))
        // Frozen for 6 s, then woken for a moment before the kill: the late mark moves nothing.
        rig.monotonic.advance(seconds: 7)
        rig.gate.release()
        #expect(await Self.until { rig.gate.waiting == 1 })
        #expect(try #require(rig.nextDaemon().load()).restorePosition == .seconds(1))
        // Alive again on time: the marks catch up a little at a time.
        rig.monotonic.advance(seconds: 1)
        let before = rig.file
        rig.gate.release()
        #expect(await Self.until { rig.file != before })
        #expect(try #require(rig.nextDaemon().load()).restorePosition == .milliseconds(2250))
    }

    @Test("after a reboot the last mark stands, whatever the new boot's clock says")
    func afterReboot() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        var runner = Runner(clock: ManualClock())
        runner.start(Self.session)
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 1 })
        rig.monotonic.advance(seconds: 1)
        let before = rig.file
        rig.gate.release()
        #expect(await Self.until { rig.file != before })
        // The new boot's monotonic clock happens to be far ahead of the old boot's.
        rig.monotonic.advance(seconds: 100)
        let saved = try #require(rig.nextDaemon(bootID: "boot-b").load())
        #expect(saved.bootID == "boot-a")
        #expect(saved.restorePosition == .seconds(1))
    }

    @Test("paused or idle, nothing is written and no timer is set")
    func noMarksWhilePaused() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        let clock = ManualClock()
        var runner = Runner(clock: clock)
        runner.start(Self.session)
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 1 })
        clock.advance(by: .milliseconds(1500))
        try runner.pause()
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 0 }, "pausing cancels the pending mark")
        let calls = rig.gate.calls
        let pausedFile = rig.file
        rig.monotonic.advance(seconds: 30)
        try await Task.sleep(for: .milliseconds(50))
        #expect(rig.gate.calls == calls)
        #expect(rig.file == pausedFile)
        #expect(try #require(rig.nextDaemon().load()).restorePosition == .milliseconds(1500))

        rig.store.remove()
        #expect(rig.file.isEmpty)
        #expect(rig.gate.calls == calls)
    }

    @Test("a removed snapshot is never written again by a late mark")
    func removeWins() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        var runner = Runner(clock: ManualClock())
        runner.start(Self.session)
        rig.store.save(runner: runner)
        #expect(await Self.until { rig.gate.waiting == 1 })
        rig.store.remove()
        rig.gate.release()
        try await Task.sleep(for: .milliseconds(50))
        #expect(rig.file.isEmpty)
    }

    @Test("a snapshot from before version 2 still loads, at its saved position")
    func versionOne() throws {
        let rig = try Rig()
        defer { rig.remove() }
        // As JSONEncoder wrote it.
        let old = #"{"elapsedMilliseconds":61250,"running":true,"savedAtMonotonicNanoseconds":5000000000,"session":"long","startedAt":"2026-11-25T15:51:43Z"}"#
        try old.write(toFile: rig.directory + "/running.json", atomically: true, encoding: .utf8)
        rig.monotonic.advance(seconds: 100)
        let saved = try #require(rig.store.load())
        #expect(saved.session == "long")
        #expect(saved.startedAt == "2026-11-25T15:51:43Z")
        #expect(saved.running)
        #expect(saved.definition == nil)
        #expect(saved.restorePosition == .milliseconds(61250), "no dead time added")
    }

    @Test("every bundled session survives the snapshot unchanged")
    func definitionsRoundTrip() throws {
        let rig = try Rig()
        defer { rig.remove() }
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sessions").path
        let names = try FileManager.default.contentsOfDirectory(atPath: bundled).filter { $0.hasSuffix(".json") && !$0.contains("schema") }
        #expect(names.count >= 6)
        let custom = try SessionDecoder.decode(
            Array(#"{"title": "Custom \"quoted\"\n", "rounds": 2, "roundRest": 2.5, "voice": false, "cues": {"volume": 0.25, "step": [{"hz": 988.5, "ms": 150, "gapMs": 20}, {"hz": 440, "ms": 10}]}, "steps": [{"name": "Ä/é", "duration": 1.25, "sides": true, "instructions": "x"}, {"name": "R", "duration": "1h", "rest": true}]}"#.utf8),
            fileName: "custom.json")
        var sessions = [custom]
        for name in names {
            sessions.append(try SessionFile.read(path: bundled + "/" + name))
        }
        for session in sessions {
            var runner = Runner(clock: ManualClock())
            runner.start(session)
            try runner.pause()
            rig.store.save(runner: runner)
            let saved = try #require(rig.store.load())
            #expect(saved.definition == session, "\(session.name)")
        }
    }

    @Test("a session with a sound-file cue is restored with that file, wherever the session file was")
    func soundFileCue() throws {
        let rig = try Rig()
        defer { rig.remove() }
        let sessionDirectory = rig.directory + "/sessions"
        try FileManager.default.createDirectory(atPath: sessionDirectory + "/sounds", withIntermediateDirectories: true)
        try SoundFileMaker.sine(sessionDirectory + "/sounds/bell.wav", hertz: 660, seconds: 0.2, sampleRate: 44_100)
        try #"{"title": "Bell", "cues": {"step": [{"file": "sounds/bell.wav", "gapMs": 50}]}, "steps": [{"name": "A", "duration": 30}]}"#
            .write(toFile: sessionDirectory + "/bell.json", atomically: true, encoding: .utf8)
        let session = try SessionFile.read(path: sessionDirectory + "/bell.json")
        var runner = Runner(clock: ManualClock())
        runner.start(session)
        try runner.pause()
        rig.store.save(runner: runner)
        let saved = try #require(rig.store.load())
        #expect(saved.definition?.steps == session.steps)
        let clip = try #require(saved.definition?.sounds.parts(for: .step).first.flatMap { part -> SoundClip? in if case .file(let c) = part { return c } else { return nil } })
        #expect(clip.resolvedPath == sessionDirectory + "/sounds/bell.wav")
        #expect(clip.checksum == session.sounds.parts(for: .step).first.flatMap { part -> SoundClip? in if case .file(let c) = part { return c } else { return nil } }?.checksum)
        #expect(clip.gapMilliseconds == 50)

        // The file removed since: the snapshot still restores (from the library's version).
        rig.store.save(runner: runner)
        try FileManager.default.removeItem(atPath: sessionDirectory + "/sounds/bell.wav")
        let later = try #require(rig.store.load())
        #expect(later.definition == nil)
        #expect(later.session == "bell")
    }

    @Test("an unreadable snapshot is ignored and removed")
    func unreadable() throws {
        let rig = try Rig()
        defer { rig.remove() }
        try "{\"session\": 5".write(toFile: rig.directory + "/running.json", atomically: true, encoding: .utf8)
        #expect(rig.store.load() == nil)
        #expect(!FileManager.default.fileExists(atPath: rig.directory + "/running.json"))
    }
}
