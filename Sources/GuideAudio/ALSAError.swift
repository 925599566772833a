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
    /// What libasound said about it, when its code alone is vague: a dead `file "|cmd"`
    /// pipe comes back as a bare EIO, and only the message says "Broken pipe".
    public var detail: String?

    public init(code: Int32, operation: Operation, device: String, message: String, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.device = device
        self.message = message
        self.detail = detail
    }

    /// Builds the error for a negative (or positive) errno returned by the shim, taking
    /// the text from `snd_strerror`.
    init(returned value: Int, operation: Operation, device: String, detail: String? = nil) {
        let code = Int32(clamping: value < 0 ? -value : value)
        self.init(code: code, operation: operation, device: device, message: ALSA.errorText(code), detail: detail)
    }

    /// One line for logs and `audio.error`, e.g.
    /// `cannot open ALSA device "hw:9": No such file or directory`, with the ``detail`` in
    /// parentheses when there is one.
    public var description: String {
        guard let detail, !detail.isEmpty else { return summary }
        return "\(summary) (\(detail))"
    }

    private var summary: String {
        switch operation {
        case .open: "cannot open ALSA device \"\(device)\": \(message)"
        case .prepare: "cannot prepare ALSA device \"\(device)\": \(message)"
        case .write: "cannot write to ALSA device \"\(device)\": \(message)"
        case .drain: "cannot drain ALSA device \"\(device)\": \(message)"
        case .list: "cannot list ALSA devices: \(message)"
        }
    }
}
