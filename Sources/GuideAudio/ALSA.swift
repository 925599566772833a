import CALSAShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A negative errno from the shim, as a value a `Result` can carry.
struct ALSAErrorCode: Error {
    var value: Int32
}

/// Every call into the C shim goes through here, as swift-system funnels its syscalls
/// through one file: the rest of GuideAudio never sees C pointers or errno values.
enum ALSA {
    /// Opens a playback PCM; see `guide_pcm_open`.
    static func open(
        name: String, rate: Int, channels: Int, latencyMicroseconds: Int
    ) -> Result<OpaquePointer, ALSAError> {
        var handle: OpaquePointer?
        let result = guide_pcm_open(
            name, UInt32(clamping: rate), UInt32(clamping: channels), UInt32(clamping: latencyMicroseconds), &handle)
        guard result >= 0, let handle else {
            return .failure(ALSAError(returned: Int(result < 0 ? result : -EIO), operation: .open, device: name))
        }
        return .success(handle)
    }

    /// Frames until a frame written now is heard; `.failure` carries the negative errno.
    static func delay(_ handle: OpaquePointer) -> Result<Int, ALSAErrorCode> {
        var frames = 0
        let result = guide_pcm_delay(handle, &frames)
        return result < 0 ? .failure(ALSAErrorCode(value: result)) : .success(frames)
    }

    static func avail(_ handle: OpaquePointer) -> Int {
        guide_pcm_avail(handle)
    }

    static func isInstant(_ handle: OpaquePointer) -> Bool {
        guide_pcm_is_instant(handle) != 0
    }

    static func ready(_ handle: OpaquePointer) -> Int32 {
        guide_pcm_ready(handle)
    }

    /// Reads libasound's configuration ahead of the first open (see `guide_alsa_load_config`).
    static func loadConfiguration() {
        _ = guide_alsa_load_config()
    }

    static func prepare(_ handle: OpaquePointer) -> Int32 {
        guide_pcm_prepare(handle)
    }

    /// Writes interleaved frames; returns frames written or a negative errno.
    static func write(_ handle: OpaquePointer, _ samples: UnsafeBufferPointer<Int16>, frames: Int) -> Int {
        guard let base = samples.baseAddress, frames > 0 else { return 0 }
        return guide_pcm_write(handle, base, frames)
    }

    static func drain(_ handle: OpaquePointer, withinMilliseconds timeout: Int) -> Int32 {
        guide_pcm_drain_within(handle, UInt32(clamping: timeout))
    }

    static func drain(_ handle: OpaquePointer) -> Int32 {
        guide_pcm_drain(handle)
    }

    static func close(_ handle: OpaquePointer) {
        guide_pcm_close(handle)
    }

    /// libasound's text for an error code of either sign.
    static func errorText(_ code: Int32) -> String {
        String(cString: guide_strerror(code))
    }

    /// Forgets this thread's last libasound message, before a call whose failure it may explain.
    static func clearLastMessage() {
        guide_alsa_clear_last_message()
    }

    /// This thread's last libasound message since ``clearLastMessage()``, if any.
    static func lastMessage() -> String? {
        let text = String(cString: guide_alsa_last_message())
        return text.isEmpty ? nil : text
    }

    /// Routes libasound's diagnostics to `callback` (and keeps them off stderr).
    static func setMessageCallback(_ callback: guide_alsa_message_fn?) {
        guide_alsa_set_message_callback(callback)
    }

    /// The playback PCMs the configuration's hints name, with their descriptions.
    static func listDevices() -> Result<[(name: String, description: String)], ALSAError> {
        final class Collector {
            var devices: [(name: String, description: String)] = []
        }
        let collector = Collector()
        let result = withExtendedLifetime(collector) {
            guide_list_devices({ name, description, context in
                guard let name, let context else { return }
                let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                let text = description.map { String(cString: $0) } ?? ""
                // Descriptions come as several lines ("Default ALSA Output\nPulseAudio"):
                // one line reads better in a list.
                let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: ", ")
                collector.devices.append((name: String(cString: name), description: oneLine))
            }, Unmanaged.passUnretained(collector).toOpaque())
        }
        guard result >= 0 else {
            return .failure(ALSAError(returned: Int(result), operation: .list, device: ""))
        }
        return .success(collector.devices)
    }
}
