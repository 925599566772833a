import GuideCore
import Logging
import Synchronization

/// The device's `Status.AudioStatus`, changed only when something actually changes: the
/// callback fires and a log line is written once per change (failure, a different
/// failure, recovery), never once per failed cue — a missing card during a two-hour
/// session must not flood the journal or the event stream.
final class AudioHealth: Sendable {
    private let current: Mutex<Status.AudioStatus>
    /// Why spoken prompts are off (the voice failed), shown as `error` while the device
    /// itself works (`ok` stays true: the tones still play).
    private let voiceProblem = Mutex<String?>(nil)
    private let onChange: @Sendable (Status.AudioStatus) -> Void
    private let logger: Logger

    init(device: String, logger: Logger, onChange: @escaping @Sendable (Status.AudioStatus) -> Void) {
        // Nothing has failed yet: a device is presumed fine until it is tried.
        self.current = Mutex(Status.AudioStatus(device: device, ok: true, error: nil))
        self.logger = logger
        self.onChange = onChange
    }

    var status: Status.AudioStatus {
        current.withLock { $0 }
    }

    /// Records that the device just worked.
    func succeeded() {
        let device = current.withLock { $0.device }
        let wasOK = current.withLock { $0.ok }
        if update(Status.AudioStatus(device: device, ok: true, error: voiceProblem.withLock { $0 })), !wasOK {
            logger.notice("audio device recovered", metadata: ["device": "\(device)"])
        }
    }

    /// Records that the voice failed (`problem`) or works again (nil). While the device
    /// works, the status's `error` carries the voice's problem.
    func voiceChanged(_ problem: String?) {
        voiceProblem.withLock { $0 = problem }
        let status = current.withLock { $0 }
        if status.ok {
            update(Status.AudioStatus(device: status.device, ok: true, error: problem))
        }
    }

    /// Records that the device just failed with `error`.
    func failed(_ error: any Error) {
        let device = current.withLock { $0.device }
        let text = String(describing: error)
        if update(Status.AudioStatus(device: device, ok: false, error: text)) {
            logger.warning("audio device failed", metadata: ["device": "\(device)", "error": "\(text)"])
        } else {
            logger.trace("audio device still failing", metadata: ["device": "\(device)"])
        }
    }

    /// Stores `status`; returns whether it differed (and then tells `onChange`).
    @discardableResult
    private func update(_ status: Status.AudioStatus) -> Bool {
        let changed = current.withLock { current in
            guard current != status else { return false }
            current = status
            return true
        }
        if changed {
            onChange(status)
        }
        return changed
    }
}
