/// A failed libasound call, as a Swift error whose text comes from libasound itself
/// (`snd_strerror`), so that status lines and logs say exactly what ALSA said — in the
/// manner of swift-system's `Errno`.
public struct ALSAError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What guide was doing when libasound refused.
    public enum Operation: String, Sendable, Hashable {
        case open, prepare, write, drain, list
    }

    /// The positive errno value (`ENOENT`, `EPIPE`, `EBADFD`…).
    public var code: Int32
    public var operation: Operation
    /// The ALSA PCM name the operation was for (empty for `list`).
    public var device: String
    /// libasound's text for `code`, e.g. "No such file or directory".
    public var message: String

    public init(code: Int32, operation: Operation, device: String, message: String) {
        self.code = code
        self.operation = operation
        self.device = device
        self.message = message
    }

    /// Builds the error for a negative (or positive) errno returned by the shim, taking
    /// the text from `snd_strerror`.
    init(returned value: Int, operation: Operation, device: String) {
        let code = Int32(clamping: value < 0 ? -value : value)
        self.init(code: code, operation: operation, device: device, message: ALSA.errorText(code))
    }

    /// One line for logs and `audio.error`, e.g.
    /// `cannot open ALSA device "hw:9": No such file or directory`.
    public var description: String {
        switch operation {
        case .open: "cannot open ALSA device \"\(device)\": \(message)"
        case .prepare: "cannot prepare ALSA device \"\(device)\": \(message)"
        case .write: "cannot write to ALSA device \"\(device)\": \(message)"
        case .drain: "cannot drain ALSA device \"\(device)\": \(message)"
        case .list: "cannot list ALSA devices: \(message)"
        }
    }
}
