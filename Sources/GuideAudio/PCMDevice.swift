/// One open ALSA playback PCM (S16_LE, interleaved). It owns the libasound handle and
/// closes it exactly once — on ``close()`` or, failing that, when it is released — so a
/// device can never leak or be closed twice.
///
/// Not `Sendable`: ALSA handles are used from one thread at a time, and the cue player
/// keeps its device on its playback thread.
public final class PCMDevice {
    /// Buffering asked of libasound: enough to ride out scheduling hiccups, small enough
    /// that a cue starts promptly on real hardware.
    public static let latencyMicroseconds = 30_000

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
