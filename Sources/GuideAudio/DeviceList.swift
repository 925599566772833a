/// The ALSA PCMs this machine's configuration names (`default`, `null`, `hw:CARD=…`,
/// `plughw:…`, …), for `guidectl` to show what `--audio-device` can take.
public enum DeviceList {
    /// Playback-capable PCM names with libasound's description (lines joined by ", "), in
    /// configuration order. Names not listed (e.g. `file:'/tmp/x.raw',raw`) still work.
    public static func pcmNames() throws(ALSAError) -> [(name: String, description: String)] {
        ALSADiagnostics.installIfNeeded()
        return try ALSA.listDevices().get()
    }
}
