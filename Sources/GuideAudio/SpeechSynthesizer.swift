import Logging

/// Turns prompt texts into samples at the player's rate, on a thread of its own and ahead
/// of time: ``prepare(_:)`` queues a session's texts in the order they will be said and
/// returns at once; the playback thread later takes what is ready with
/// ``samples(for:)`` (or waits a little with ``waitForSamples(for:until:)``) and never
/// synthesizes anything itself.
///
/// espeak-ng is loaded on that thread the first time a session wants a voice. If it cannot
/// be (no library data, an unknown voice), ``problem`` says why, `onProblem` is told once,
/// and sessions go on with tones only; the next session tries again.
final class SpeechSynthesizer: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock (hence @unchecked).
    private let condition = MonotonicCondition()
    private var pending: [String] = []
    private var ready: [String: [Int16]] = [:]
    private var wanted: Set<String> = []
    private var stopping = false
    private var retry = true
    private(set) var problemText: String?

    private let settings: VoiceSettings
    private let sampleRate: Int
    private let logger: Logger
    private let onProblem: @Sendable (String?) -> Void
    private var thread: PlaybackThread?

    init(settings: VoiceSettings, sampleRate: Int, logger: Logger, onProblem: @escaping @Sendable (String?) -> Void) {
        self.settings = settings
        self.sampleRate = sampleRate
        self.logger = logger
        self.onProblem = onProblem
    }

    /// Why the voice does not work, if it does not.
    var problem: String? { condition.withLock { problemText } }

    /// Queues `texts` (in the order they will be said) for a new session; samples kept
    /// from texts the session does not say are dropped.
    func prepare(_ texts: [String]) {
        condition.withLock {
            wanted = Set(texts)
            ready = ready.filter { wanted.contains($0.key) }
            var seen = Set(ready.keys)
            pending = texts.filter { seen.insert($0).inserted }
            retry = true
            if thread == nil {
                thread = PlaybackThread(name: "guide-speech") { [self] in run() }
            }
        }
        condition.broadcast()
    }

    /// Queues one more text (a reminder's `say`) without dropping the session's.
    func add(_ text: String) {
        condition.withLock {
            if wanted.insert(text).inserted, ready[text] == nil { pending.append(text) }
            retry = true
            if thread == nil {
                thread = PlaybackThread(name: "guide-speech") { [self] in run() }
            }
        }
        condition.broadcast()
    }

    /// The samples of `text`, if they are ready.
    func samples(for text: String) -> [Int16]? {
        condition.withLock { ready[text] }
    }

    /// The samples of `text`, waiting for them until `deadline` at most; nil if they are not
    /// ready by then, or will never be (the voice failed, or the text was not prepared).
    func waitForSamples(for text: String, until deadline: SuspendingClock.Instant) -> [Int16]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let samples = ready[text] { return samples }
            guard problemText == nil, !stopping, pending.contains(text), SuspendingClock.now < deadline else { return nil }
            condition.wait(until: deadline)
        }
    }

    func shutdown() {
        let thread = condition.withLock {
            stopping = true
            pending.removeAll()
            return self.thread
        }
        condition.broadcast()
        thread?.join()
    }

    deinit {
        shutdown()
    }

    /// The thread's body: load espeak-ng once, then synthesize what is pending.
    private func run() {
        var voice: EspeakVoice?
        condition.lock()
        while !stopping {
            guard let text = pending.first else {
                condition.wait()
                continue
            }
            if voice == nil {
                guard retry else {
                    pending.removeAll()
                    continue
                }
                condition.unlock()
                let result = Result { () throws(EspeakVoice.Failure) in try EspeakVoice(settings: settings) }
                condition.lock()
                switch result {
                case .success(let loaded):
                    voice = loaded
                    logger.info("voice loaded", metadata: ["voice": "\(settings.name)", "espeak-ng": "\(EspeakVoice.version)"])
                    report(nil)
                case .failure(let error):
                    retry = false
                    pending.removeAll()
                    report("voice unavailable (\(error.description)); cues are tones only")
                    condition.broadcast()
                    continue
                }
            }
            condition.unlock()
            let samples = Result { () throws(EspeakVoice.Failure) in try voice!.synthesize(text) }
                .map { Resampler.linear($0, from: voice!.sampleRate, to: sampleRate, gain: settings.volume) }
            condition.lock()
            pending.removeAll { $0 == text }
            switch samples {
            case .success(let samples):
                if wanted.contains(text) { ready[text] = samples }
            case .failure(let error):
                logger.warning("prompt not synthesized", metadata: ["text": "\(text)", "error": "\(error.description)"])
            }
            condition.broadcast()
        }
        condition.unlock()
        voice = nil
    }

    /// Records the voice's problem (nil: it works) and tells `onProblem` when it changed.
    /// Called with the lock held; the callback runs without it.
    private func report(_ problem: String?) {
        guard problem != problemText else { return }
        problemText = problem
        if let problem { logger.warning("voice unavailable", metadata: ["reason": "\(problem)"]) }
        condition.unlock()
        onProblem(problem)
        condition.lock()
    }
}
