/// Plays cues on an ALSA PCM via ``PCMDevice``: prepare → write → drain for every cue.
///
/// The drain is what makes each cue complete on its own: `null` and `file` devices take
/// samples instantly, and the file plugin would otherwise hold a cue's tail back until
/// the next write; and between cues the device stays silent (guide writes cues only,
/// never a stream of silence).
public final class ALSASink: AudioSink {
    public let deviceName: String
    private var device: PCMDevice?

    public init(device: String) {
        self.deviceName = device
    }

    public func open(sampleRate: Int) throws {
        device?.close()
        device = try PCMDevice.open(name: deviceName, rate: sampleRate, channels: 1)
    }

    public func play(_ samples: [Int16]) throws {
        guard let device else {
            throw ALSAError(code: 77, operation: .write, device: deviceName, message: ALSA.errorText(77))
        }
        try device.prepare()
        try device.write(samples)
        try device.drain()
    }

    public func close() {
        device?.close()
        device = nil
    }
}
