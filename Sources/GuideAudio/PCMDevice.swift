/// One open ALSA playback PCM (S16_LE, interleaved). It owns the libasound handle and
/// closes it exactly once — on ``close()`` or, failing that, when it is released — so a
/// device can never leak or be closed twice.
///
/// Not `Sendable`: ALSA handles are used from one thread at a time, and the cue player
/// keeps its device on its playback thread.
public final class PCMDevice {
    /// Buffering asked of libasound. A device that plays in real time is kept this full of
    /// silence between cues (``ALSASink``): long enough to ride out a playback thread kept
    /// off the CPU, short enough that PulseAudio's pre-buffering (most of the buffer) is
    /// always met, so the server never stalls the stream.
    public static let latencyMicroseconds = 150_000

    public let name: String
    public let sampleRate: Int
    public let channels: Int
    private var handle: OpaquePointer?

    private init(name: String, sampleRate: Int, channels: Int, handle: OpaquePointer) {
        self.name = name
        self.sampleRate = sampleRate
        self.channels = channels
        self.handle = handle
    }

    deinit {
        if let handle {
            ALSA.close(handle)
        }
    }

    /// Opens `name` (any ALSA PCM: `default`, `hw:1`, `null`, `file:'/tmp/cues.raw',raw`).
    public static func open(name: String, rate: Int = 48_000, channels: Int = 1) throws(ALSAError) -> PCMDevice {
        ALSADiagnostics.installIfNeeded()
        let handle = try ALSA.open(
            name: name, rate: rate, channels: channels, latencyMicroseconds: latencyMicroseconds
        ).get()
        return PCMDevice(name: name, sampleRate: rate, channels: channels, handle: handle)
    }

    /// Whether ``close()`` has not been called yet.
    public var isOpen: Bool { handle != nil }

    /// Frames until a frame written now is heard (what the device and any sound server
    /// still hold). 0 for `null` and `file` devices, which take samples instantly.
    public func delayFrames() throws(ALSAError) -> Int {
        let handle = try openHandle(for: .write)
        ALSA.clearLastMessage()
        switch ALSA.delay(handle) {
        case .success(let frames): return frames
        case .failure(let code):
            throw ALSAError(returned: Int(code.value), operation: .write, device: name, detail: ALSA.lastMessage())
        }
    }

    /// Frames that can be written now without blocking.
    public func availableFrames() throws(ALSAError) -> Int {
        let handle = try openHandle(for: .write)
        let result = ALSA.avail(handle)
        if result < 0 {
            throw ALSAError(returned: result, operation: .write, device: name, detail: ALSA.lastMessage())
        }
        return result
    }

    /// Whether this is a `null` or `file` PCM, which takes samples instantly instead of
    /// playing them in real time.
    public var takesSamplesInstantly: Bool {
        handle.map { ALSA.isInstant($0) } ?? true
    }

    /// Makes the device writable if it is not (after a drain, an underrun or a suspend);
    /// does nothing to a running stream.
    public func makeReady() throws(ALSAError) {
        let handle = try openHandle(for: .prepare)
        ALSA.clearLastMessage()
        let result = ALSA.ready(handle)
        if result < 0 {
            throw ALSAError(returned: Int(result), operation: .prepare, device: name, detail: ALSA.lastMessage())
        }
    }

    /// Reads libasound's configuration now, so that opening a device later does not.
    public static func loadConfiguration() {
        ALSADiagnostics.installIfNeeded()
        ALSA.loadConfiguration()
    }

    /// Readies the device for a cue. Needed before every cue: after ``drain()`` the PCM
    /// sits in SETUP state and a write would fail with EBADFD.
    public func prepare() throws(ALSAError) {
        let handle = try openHandle(for: .prepare)
        ALSA.clearLastMessage()
        let result = ALSA.prepare(handle)
        if result < 0 {
            throw ALSAError(returned: Int(result), operation: .prepare, device: name, detail: ALSA.lastMessage())
        }
    }

    /// Writes interleaved samples (`samples.count` must be a multiple of `channels`),
    /// blocking until libasound has taken all of them.
    public func write(_ samples: [Int16]) throws(ALSAError) {
        let handle = try openHandle(for: .write)
        let frames = samples.count / channels
        ALSA.clearLastMessage()
        let result = samples.withUnsafeBufferPointer { ALSA.write(handle, $0, frames: frames) }
        if result < 0 {
            throw ALSAError(returned: result, operation: .write, device: name, detail: ALSA.lastMessage())
        }
    }

    /// Blocks until everything written has been played. The file plugin writes a cue's
    /// tail only here (or at the next write), so every cue ends with a drain.
    public func drain() throws(ALSAError) {
        let handle = try openHandle(for: .drain)
        ALSA.clearLastMessage()
        let result = ALSA.drain(handle)
        if result < 0 {
            throw ALSAError(returned: Int(result), operation: .drain, device: name, detail: ALSA.lastMessage())
        }
    }

    /// Lets what was written be played, giving up (and dropping the rest) after
    /// `timeout`; returns whether everything was played.
    @discardableResult
    public func drain(within timeout: Duration) -> Bool {
        guard let handle else { return true }
        return ALSA.drain(handle, withinMilliseconds: Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000)) == 0
    }

    /// Releases the device so other programs can use it. Later calls do nothing.
    public func close() {
        if let handle {
            self.handle = nil
            ALSA.close(handle)
        }
    }

    private func openHandle(for operation: ALSAError.Operation) throws(ALSAError) -> OpaquePointer {
        guard let handle else {
            // EBADFD, as libasound itself reports for a PCM in the wrong state.
            throw ALSAError(code: 77, operation: operation, device: name, message: ALSA.errorText(77))
        }
        return handle
    }
}

@available(*, unavailable, message: "a PCMDevice belongs to one thread")
extension PCMDevice: Sendable {}
