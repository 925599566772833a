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
///   as puts its first sample ``outputDelay`` after its due time — where the stream is in
///   time is known from the delays the device reports at every feed (``StreamTimeline``)
///   — so every cue, the session's first included, is heard at the same distance from its
///   due time, however late the playback thread woke or however long the device took to
///   open. Closing pads what was played with ``closingSilence`` before draining.
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
    /// Frames the device has taken since it was opened (real-time only).
    private var written = 0
    /// When the stream's frames are heard (real-time only).
    private var timeline = StreamTimeline(sampleRate: 48_000)

    public init(device: String) {
        self.deviceName = device
    }

    public func open(sampleRate: Int) throws {
        device?.close()
        device = nil
        pending.removeAll()
        written = 0
        timeline = StreamTimeline(sampleRate: sampleRate)
        let threadsBefore = PlaybackPriority.threadIDs()
        let device = try PCMDevice.open(name: deviceName, rate: sampleRate, channels: 1)
        self.device = device
        self.sampleRate = sampleRate
        // The playback thread runs at real-time priority while it holds any device: on a
        // busy machine a thread of normal priority wakes tens of milliseconds late, and a
        // capture (`file`) is as much the record of when cues came as a speaker is.
        PlaybackPriority.setCurrentThread(realTime: true)
        // `null` and `file` PCMs are known by their type and get no silence at all. Anything
        // else gets a whole buffer of it in one write, which tells the kinds apart: a device
        // that plays in real time still holds it; one that does not (say `plug:null`) has
        // taken it. A whole buffer, not a token amount: a stream started with less runs dry
        // at once, and PulseAudio's plugin then fails the next write with EPIPE.
        guard !device.takesSamplesInstantly else {
            isRealTime = false
            return
        }
        try fillWithSilence(device)
        isRealTime = try device.delayFrames() > 0
        if isRealTime {
            PlaybackPriority.raiseThreads(startedSince: threadsBefore)
            try awaitServer(device)
        } else {
            try device.drain()
        }
    }

    /// Writes as much silence as the device has room for (a whole buffer when it is
    /// fresh) in one write.
    private func fillWithSilence(_ device: PCMDevice) throws {
        let fill = max(sampleRate / 1000, try device.availableFrames())
        try device.write([Int16](repeating: 0, count: fill))
        written += fill
    }

    /// Starts a stream that ran dry again the way it was opened: prepared, a whole buffer
    /// of silence, the server's start awaited, a new timeline. (Writing on with the few
    /// frames at hand would run it dry again at once: PulseAudio's plugin then fails
    /// every write with EPIPE.) What was pending is written behind it; a cue in it may be
    /// late by the gap, the cues after it are placed anew.
    private func restart(_ device: PCMDevice) throws {
        try device.prepare()
        try fillWithSilence(device)
        try awaitServer(device)
    }

    public func play(_ samples: [Int16]) throws {
        let device = try openDevice()
        if isRealTime {
            try device.makeReady()
            observe(device)
            let end = written + pending.count + samples.count
            soundEndsAt = timeline.heardTime(ofFrame: end) ?? .now + duration(frames: end - written)
            pending += samples
            try flush(device)
        } else {
            try device.prepare()
            try device.write(samples)
            try device.drain()
        }
    }

    public func play(_ samples: [Int16], due: SuspendingClock.Instant) throws {
        let device = try openDevice()
        guard isRealTime else {
            try play(samples)
            return
        }
        try device.makeReady()
        observe(device)
        // The frame that follows everything queued so far, and the one to be heard at
        // the cue's place; the silence between them is the cue's lead-in. (Without any
        // reading yet, a device that said nothing of its delay: right behind the queue.)
        let next = written + pending.count
        let target = timeline.frame(heardAt: due + Self.outputDelay) ?? next
        let lead = max(0, target - next)
        soundEndsAt = timeline.heardTime(ofFrame: next + lead + samples.count) ?? .now + duration(frames: lead + samples.count)
        pending += repeatElement(0, count: lead)
        pending += samples
        try flush(device)
    }

    public func keepAlive() throws -> Duration? {
        guard isRealTime, let device else { return nil }
        try device.makeReady()
        observe(device)
        try flush(device)
        if pending.isEmpty {
            let missing: Int
            do {
                missing = try device.availableFrames()
            } catch where error.code == EPIPE {
                try restart(device)
                return Self.feedInterval
            }
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
    /// it was given: a server may start a new stream late, and until it plays the delay
    /// it reports does not yet tell when the first cue will be heard. The first cue's
    /// lead-in absorbs the wait (it is due about now).
    private func awaitServer(_ device: PCMDevice) throws {
        let deadline = SuspendingClock.now + Self.startPatience
        while SuspendingClock.now < deadline {
            MonotonicCondition.sleep(until: .now + .milliseconds(5))
            if try device.availableFrames() > 0 { break }
        }
        // What the device said before the server took its first samples dates nothing
        // (PipeWire counts from a graph cycle that has not run yet): start from now.
        timeline.reset()
        observe(device)
    }

    /// Writes as much of ``pending`` as the device takes without blocking: a server that
    /// is slow to take samples (PulseAudio waking an idle sink) never holds the playback
    /// thread, so the next cue is placed on time whatever this one does.
    private func flush(_ device: PCMDevice) throws {
        guard !pending.isEmpty else { return }
        do {
            let room = min(pending.count, try device.availableFrames())
            guard room > 0 else { return }
            try device.write(Array(pending[..<room]))
            written += room
            pending.removeFirst(room)
        } catch where error.code == EPIPE {
            // The stream ran dry (the server was not given samples in time): start it
            // again rather than count the device as failed.
            try restart(device)
        }
    }

    /// Reads where the stream is: the delay, then the clock at once, so that a thread
    /// preempted before the reading does not date it wrongly. A device that cannot say
    /// is simply not read this time.
    private func observe(_ device: PCMDevice) {
        guard let delay = try? device.delayFrames() else { return }
        timeline.observe(delay: delay, written: written, at: .now)
    }

    /// Silence written after the last sound before a stream is drained and closed. A
    /// server acknowledges the drain once it has *mixed* the stream, which can be ahead
    /// of what is heard by the sink's latency; removing the stream then takes back what
    /// was mixed ahead (PulseAudio rewinds the sink), so the last cue would be cut or
    /// lost. With this much silence behind it, only silence is taken back.
    static let closingSilence: Duration = .milliseconds(250)

    /// How long closing waits for the server beyond the time the pending sound lasts.
    static let closingPatience: Duration = .seconds(1)
    /// The longest sound worth waiting for at close (a long spoken prompt or a 10 s sound
    /// file): beyond it, the rest is dropped.
    static let longestClosingWait: Duration = .seconds(12)

    /// Lets what is still to be heard be heard, then closes. Sound still pending is
    /// written at the pace the server takes it (as long as it lasts, plus
    /// ``closingPatience``, at most ``longestClosingWait``: the tail of a long prompt at
    /// the end of a session is heard whole), followed by ``closingSilence``; then the
    /// stream is drained — the server says when it has played everything, which is more
    /// than the delay it reported while the stream ran — for at most ``closingPatience``.
    /// Whether to wait at all is decided when closing starts, not after the writing took
    /// its time. (Between cues guide never drains; here nothing waits behind it.)
    public func close() {
        guard let device else { return }
        self.device = nil
        if isRealTime {
            let unheard = soundEndsAt > .now
            if unheard {
                pending += repeatElement(0, count: frames(Self.closingSilence))
            }
            let deadline = SuspendingClock.now + min(Self.longestClosingWait, duration(frames: pending.count) + Self.closingPatience)
            while !pending.isEmpty, SuspendingClock.now < deadline {
                do { try flush(device) } catch { break }
                if !pending.isEmpty { MonotonicCondition.sleep(until: min(deadline, .now + Self.feedInterval)) }
            }
            pending.removeAll()
            if unheard {
                device.drain(within: Self.closingPatience)
            }
        }
        device.close()
        PlaybackPriority.setCurrentThread(realTime: false)
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
