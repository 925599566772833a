#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plays cues on an ALSA PCM via ``PCMDevice``, in one of two ways depending on what the
/// device turns out to be when it is opened:
///
/// - **A device that plays in real time** (a sound card, or a sound server through the
///   `pulse` or `pipewire` plugin): the stream is kept running while it is open, its
///   buffer (``PCMDevice/latencyMicroseconds``) kept full of silence, and is never
///   drained between cues — a
///   server may take far longer to drain than the cue lasts, and a stream that ran dry
///   restarts later at another latency. Each cue is written behind exactly as much silence
///   as puts its first sample ``outputDelay`` after its due time (the device reports how
///   much is still queued ahead), so every cue, the session's first included, is heard at
///   the same distance from its due time, however late the playback thread woke or
///   however long the device took to open.
/// - **A device that takes samples instantly** (`null`, `file:…` by their type, or
///   anything that reports nothing queued): cues only, never silence (it would be written out at once, not played),
///   each cue prepared, written and drained, so a capture file holds every cue whole.
public final class ALSASink: AudioSink {
    /// How long after its due time a cue is heard on a device that plays in real time:
    /// room for opening the device (tens of ms through a server on a busy machine), the
    /// silence kept queued, the server's own latency and a late wake-up.
    public static let outputDelay: Duration = .milliseconds(350)
    /// How often the queued silence is topped up (and a cue the device had no room for
    /// yet is written on).
    public static let feedInterval: Duration = .milliseconds(10)

    public let deviceName: String
    private var device: PCMDevice?
    private var sampleRate = 48_000
    /// Whether the open device plays in real time (reported a delay after a first write).
    public private(set) var isRealTime = false
    /// When the last sample of sound written so far will have been heard (real-time only).
    private var soundEndsAt = SuspendingClock.now
    /// Samples of a real-time stream not yet taken by the device (see ``flush(_:)``).
    private var pending: [Int16] = []

    public init(device: String) {
        self.deviceName = device
    }

    public func open(sampleRate: Int) throws {
        device?.close()
        device = nil
        pending.removeAll()
        let device = try PCMDevice.open(name: deviceName, rate: sampleRate, channels: 1)
        self.device = device
        self.sampleRate = sampleRate
        // `null` and `file` PCMs are known by their type and get no silence at all. Anything
        // else gets one millisecond of it, which tells the kinds apart: a device that plays
        // in real time still holds it; one that does not (say `plug:null`) has taken it.
        guard !device.takesSamplesInstantly else {
            isRealTime = false
            return
        }
        try device.write([Int16](repeating: 0, count: sampleRate / 1000))
        isRealTime = try device.delayFrames() > 0
        if isRealTime {
            Self.setRealTimePriority(true)
            _ = try keepAlive()
            try awaitServer(device)
        } else {
            try device.drain()
        }
    }

    public func play(_ samples: [Int16]) throws {
        let device = try openDevice()
        if isRealTime {
            try device.makeReady()
            let queued = ((try? device.delayFrames()) ?? 0) + pending.count
            soundEndsAt = .now + duration(frames: queued + samples.count)
            pending += samples
            try flush(device)
        } else {
            try device.prepare()
            try device.write(samples)
            try device.drain()
        }
    }

    public func play(_ samples: [Int16], late: Duration) throws {
        let device = try openDevice()
        guard isRealTime else {
            try play(samples)
            return
        }
        try device.makeReady()
        let queued = ((try? device.delayFrames()) ?? 0) + pending.count
        let lead = max(0, frames(Self.outputDelay - late) - queued)
        soundEndsAt = .now + duration(frames: queued + lead + samples.count)
        pending += repeatElement(0, count: lead)
        pending += samples
        try flush(device)
    }

    public func keepAlive() throws -> Duration? {
        guard isRealTime, let device else { return nil }
        try device.makeReady()
        try flush(device)
        if pending.isEmpty {
            let missing = try device.availableFrames()
            if missing > 0 {
                pending = [Int16](repeating: 0, count: missing)
                try flush(device)
            }
        }
        return Self.feedInterval
    }

    /// Longest wait in ``open(sampleRate:)`` for a fresh stream to be played.
    static let startPatience: Duration = .milliseconds(200)

    /// Waits (at most ``startPatience``) until the device has begun to take the silence
    /// it was given, topping it up meanwhile: a server may start a new stream late, and
    /// until it plays the delay it reports does not yet tell when the first cue will be
    /// heard. The first cue's lead-in absorbs the wait (it is due about now).
    private func awaitServer(_ device: PCMDevice) throws {
        let deadline = SuspendingClock.now + Self.startPatience
        while SuspendingClock.now < deadline {
            MonotonicCondition.sleep(until: .now + .milliseconds(5))
            if try device.availableFrames() > 0 { return }
        }
    }

    /// Writes as much of ``pending`` as the device takes without blocking: a server that
    /// is slow to take samples (PulseAudio waking an idle sink) never holds the playback
    /// thread, so the next cue is placed on time whatever this one does.
    private func flush(_ device: PCMDevice) throws {
        guard !pending.isEmpty else { return }
        let room = min(pending.count, try device.availableFrames())
        guard room > 0 else { return }
        do {
            try device.write(Array(pending[..<room]))
        } catch where error.code == EPIPE {
            // The stream ran dry (the playback thread was kept off the CPU): start it
            // again rather than count the device as failed.
            try device.makeReady()
            try device.write(Array(pending[..<room]))
        }
        pending.removeFirst(room)
    }

    /// Writes what is still pending, then drains — the server says when the last cue has
    /// been played, which is more than the delay it reported while the stream ran — and
    /// closes; at most 2 s each, then the rest is dropped. (Between cues guide never
    /// drains; here nothing waits behind it.)
    public func close() {
        guard let device else { return }
        self.device = nil
        if isRealTime {
            let deadline = SuspendingClock.now + .seconds(2)
            while !pending.isEmpty, SuspendingClock.now < deadline {
                do { try flush(device) } catch { break }
                if !pending.isEmpty { MonotonicCondition.sleep(until: min(deadline, .now + Self.feedInterval)) }
            }
            pending.removeAll()
            if soundEndsAt > .now {
                device.drain(within: .seconds(2))
            }
            Self.setRealTimePriority(false)
        }
        device.close()
    }

    /// While it feeds a real-time stream (every 10 ms), the calling thread — the
    /// playback thread — asks for a low real-time priority (SCHED_RR 10), as MPD does for
    /// its output thread: on a busy machine a thread of normal priority can be kept off
    /// the CPU long enough for the stream to run dry. Back to normal when the stream is
    /// closed. Where it is not allowed (no RLIMIT_RTPRIO) nothing changes.
    static func setRealTimePriority(_ on: Bool) {
        var parameters = sched_param()
        parameters.sched_priority = on ? 10 : 0
        _ = pthread_setschedparam(pthread_self(), on ? Int32(SCHED_RR) : Int32(SCHED_OTHER), &parameters)
    }

    private func duration(frames: Int) -> Duration {
        .microseconds(Int64(frames) * 1_000_000 / Int64(sampleRate))
    }

    private func frames(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * sampleRate + Int(attoseconds / 1_000_000_000_000) * sampleRate / 1_000_000
    }

    private func openDevice() throws(ALSAError) -> PCMDevice {
        guard let device else {
            throw ALSAError(code: 77, operation: .write, device: deviceName, message: ALSA.errorText(77))
        }
        return device
    }
}
