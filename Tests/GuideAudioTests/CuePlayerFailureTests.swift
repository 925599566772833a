import GuideAudio
import GuideCore
import GuideTestSupport
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whether the "device" a sink factory hands out is plugged in.
final class DeviceSwitch: Sendable {
    private let plugged = Mutex(false)
    var isPlugged: Bool {
        get { plugged.withLock { $0 } }
        set { plugged.withLock { $0 = newValue } }
    }
}

/// These players never release an idle device (`idleRelease` of an hour), so the
/// open/close sequences they check cannot be disturbed by a slow test machine.
@Suite("CuePlayer when the device fails")
struct CuePlayerFailureTests {
    @Test("a missing device gives ok=false with ALSA's text once, retries at each cue, and recovers")
    func missingThenPresent() async throws {
        let device = DeviceSwitch()
        let recorder = RecordingSink()
        let statuses = Collector<Status.AudioStatus>()
        let played = Collector<CuePlayback>()
        let logs = Collector<RecordingLogHandler.Entry>()
        let player = CuePlayer(
            device: "hw:9", logger: .recording(logs),
            // Until "plugged", every (re)open really goes to the missing card hw:9.
            sinkFactory: { name in device.isPlugged ? recorder as any AudioSink : ALSASink(device: name) },
            onStatusChange: { statuses.append($0) }, onPlayed: { played.append($0) }, idleRelease: .seconds(3_600))
        defer { player.shutdown() }
        #expect(player.status == Status.AudioStatus(device: "hw:9", ok: true))

        player.beginSession(sounds: .standard)
        let failed = Status.AudioStatus(
            device: "hw:9", ok: false, error: "cannot open ALSA device \"hw:9\": No such file or directory")
        try await statuses.waitForCount(1)
        #expect(statuses.items == [failed])
        #expect(player.status == failed)

        // Each cue tries the device again; the status does not change, so nothing fires.
        let now = SuspendingClock.now
        for index in 0..<3 {
            player.schedule(.countdown, due: now + .milliseconds(10 * index))
        }
        let results = try await played.waitForCount(3)
        #expect(results.allSatisfy { !$0.ok && !$0.dropped })
        #expect(statuses.items == [failed])
        #expect(logs.items.filter { $0.level == .warning }.count == 1)

        device.isPlugged = true
        player.schedule(.step, due: .now)
        try await statuses.waitForCount(2)
        #expect(statuses.items == [failed, Status.AudioStatus(device: "hw:9", ok: true)])
        #expect(player.status.ok)
        #expect(try await played.waitForCount(4).last?.ok == true)
        #expect(recorder.cues.map(\.samples) == [standardSamples(.step)])
        #expect(logs.items.filter { $0.level == .warning }.count == 1)
        #expect(logs.items.contains { $0.level == .notice && $0.message == "audio device recovered" })
    }

    @Test("a failing write reports the sink's error and the next cue reopens the device")
    func writeFailure() async throws {
        let recorder = RecordingSink()
        let statuses = Collector<Status.AudioStatus>()
        let played = Collector<CuePlayback>()
        let player = CuePlayer(
            device: "test", logger: .quiet, sinkFactory: { _ in recorder },
            onStatusChange: { statuses.append($0) }, onPlayed: { played.append($0) }, idleRelease: .seconds(3_600))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        try await recorder.waitUntil { $0.isOpen }
        recorder.setFailure(SinkFailure(description: "device unplugged"))
        player.schedule(.step, due: .now)
        try await statuses.waitForCount(1)
        #expect(statuses.items == [Status.AudioStatus(device: "test", ok: false, error: "device unplugged")])
        // The failed sink was closed, so the next cue opens afresh.
        try await recorder.waitUntil { !$0.isOpen }
        recorder.setFailure(nil)
        player.schedule(.countdown, due: .now)
        try await statuses.waitForCount(2)
        #expect(statuses.items.last == Status.AudioStatus(device: "test", ok: true))
        #expect(try await played.waitForCount(2).map(\.ok) == [false, true])
        #expect(recorder.events == [
            .opened(sampleRate: 48_000), .failed("device unplugged"), .closed,
            .opened(sampleRate: 48_000), .played(sampleCount: 60 * 48),
        ])
    }

    @Test("a pipe device whose reader exits fails (EPIPE as an error, no crash) and is reopened")
    func brokenPipe() async throws {
        // The daemon ignores SIGPIPE; so must this process, or the write would kill it.
        signal(SIGPIPE, SIG_IGN)
        let statuses = Collector<Status.AudioStatus>()
        let played = Collector<CuePlayback>()
        // `head` takes about two end cues (51,840 bytes each) and exits, so a later write
        // finds nobody reading; the next cue reopens the device, which starts a new `head`.
        let device = "file:'|head -c 100000 > /dev/null',raw"
        let player = CuePlayer(
            device: device, logger: .quiet, onStatusChange: { statuses.append($0) }, onPlayed: { played.append($0) }, idleRelease: .seconds(3_600))
        defer { player.shutdown() }
        player.beginSession(sounds: .standard)
        let start = SuspendingClock.now + .milliseconds(100)
        let count = 8
        for index in 0..<count {
            player.schedule(.end, due: start + .milliseconds(150 * index))
        }
        let results = try await played.waitForCount(count, timeout: .seconds(20))
        player.endSession()
        #expect(results.allSatisfy { !$0.dropped })
        #expect(results.first?.ok == true)
        let firstFailure = try #require(results.firstIndex { !$0.ok }, "a write must hit the closed pipe")
        #expect(results[(firstFailure + 1)...].contains { $0.ok }, "the next cue reopens the device and plays")

        let failure = try #require(statuses.items.first { !$0.ok })
        let text = try #require(failure.error)
        print("broken pipe reported as: \(text)")
        // libasound returns a bare EIO here; the text carries its "Broken pipe" message.
        #expect(text.hasPrefix("cannot write to ALSA device \"\(device)\": ") || text.hasPrefix("cannot drain ALSA device \"\(device)\": "), "\(text)")
        #expect(text.contains("Broken pipe"), "\(text)")
        // Reported once per change: consecutive statuses always differ, and they alternate.
        let items = statuses.items
        #expect(zip(items, items.dropFirst()).allSatisfy { $0 != $1 })
        #expect(items.first?.ok == false)
    }
}
