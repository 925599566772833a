import GuideCore
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Everything the playback thread owns: the current palette and the open sink. It runs
/// the thread's loop — wait for the next item, sleep until a cue is due, play it — and is
/// touched by no other thread, which is why it needs no locks of its own (the shared
/// queue is guarded by `PlaybackShared`).
final class PlaybackWorker {
    /// Wake this long before a cue is due, to get the device ready, then sleep precisely.
    static let wakeLead: Duration = .milliseconds(3)
    /// Open a released device this long before the next expected cue (opening `default`
    /// through a sound server can take tens of milliseconds).
    static let openLead: Duration = .milliseconds(250)

    private let shared: PlaybackShared
    private let device: String
    private let sampleRate: Int
    private let fallbackVolume: Double
    private let makeSink: (String) -> any AudioSink
    private let health: AudioHealth
    private let logger: Logger
    private let onPlayed: (@Sendable (CuePlayback) -> Void)?
    private let synthesizer: SpeechSynthesizer?

    private var palette: RenderedPalette?
    private var sink: (any AudioSink)?
    private var inSession = false
    /// How long an open device may sit unused before it is released to other programs.
    private let idleRelease: Duration
    /// When the device last played or was opened.
    private var lastUse = SuspendingClock.now
    /// An announced cue's due time: the device is not released before it.
    private var holdUntil = SuspendingClock.now
    /// When the open sink next wants ``AudioSink/keepAlive()`` (nil: it does not).
    private var feedAt: SuspendingClock.Instant?
    /// Read libasound's configuration before the first session (the real device only).
    private let loadsALSAConfiguration: Bool

    init(
        shared: PlaybackShared, device: String, sampleRate: Int, fallbackVolume: Double,
        makeSink: @escaping (String) -> any AudioSink, health: AudioHealth, logger: Logger,
        onPlayed: (@Sendable (CuePlayback) -> Void)?, synthesizer: SpeechSynthesizer? = nil,
        idleRelease: Duration = .seconds(5), loadsALSAConfiguration: Bool = false
    ) {
        self.idleRelease = idleRelease
        self.loadsALSAConfiguration = loadsALSAConfiguration
        self.shared = shared
        self.device = device
        self.sampleRate = sampleRate
        self.fallbackVolume = fallbackVolume
        self.makeSink = makeSink
        self.health = health
        self.logger = logger
        self.onPlayed = onPlayed
        self.synthesizer = synthesizer
    }

    /// The thread's body: returns after `shared.stopping` is set.
    func run() {
        if loadsALSAConfiguration {
            PCMDevice.loadConfiguration()
        }
        let condition = shared.condition
        condition.lock()
        while !shared.stopping {
            // When the first item is due (boundaries and hints at once, cues a few ms early,
            // to finish with a precise sleep), and when an open device with nothing to play
            // soon is released to other programs (a paused session, a 20-minute step).
            let actAt = shared.queue.first.map { item in item.due.map { $0 - Self.wakeLead } ?? .now }
            let releaseAt = sink == nil ? nil : max(lastUse + idleRelease, holdUntil)
            let now = SuspendingClock.now
            if let releaseAt, releaseAt <= now, actAt.map({ releaseAt < $0 }) ?? true {
                releaseIdleSink(condition)
                continue
            }
            if let feedAt, feedAt <= now, actAt.map({ feedAt < $0 }) ?? true {
                condition.unlock()
                feed()
                condition.lock()
                continue
            }
            guard let actAt, actAt <= now else {
                // Re-examined on wake-up: an earlier cue, an end or a shutdown may have been
                // queued meanwhile. With nothing queued and no device open: no timer at all.
                if let wakeAt = [actAt, releaseAt, feedAt].compactMap({ $0 }).min() {
                    condition.wait(until: wakeAt)
                } else {
                    condition.wait()
                }
                shared.wakeUps += 1
                continue
            }
            let item = shared.queue.removeFirst()
            if case .cue(_, let due, let announced?) = item {
                shared.takenAnnounced[announced] = due
            }
            condition.unlock()
            perform(item)
            condition.lock()
        }
        condition.unlock()
        closeSink()
    }

    private func perform(_ item: PlaybackItem) {
        switch item {
        case .begin(let palette):
            self.palette = palette
            inSession = true
            _ = ensureOpen()
        case .end:
            inSession = false
            closeSink()
        case .release:
            closeSink()
        case .prepare(let cueDue):
            guard inSession else { return }
            holdUntil = cueDue + Self.openLead
            _ = ensureOpen()
        case .sound(let samples, let due):
            play(samples, kind: nil, due: due)
            if !inSession {
                closeSink()
            }
        case .cue(let kind, let due, _):
            play(kind, due: due)
            // A cue outside any session must not keep the device from other programs.
            if !inSession {
                closeSink()
            }
        }
    }

    private func play(_ kind: CueKind, due: SuspendingClock.Instant) {
        let palette = self.palette ?? RenderedPalette.rendered(.standard, volume: fallbackVolume, sampleRate: sampleRate)
        play(palette.samples(for: kind), kind: kind, due: due)
    }

    /// Plays `samples` at `due`, then the prompt queued for that instant; `kind` is nil for
    /// a reminder's sound (which is not one of the session's cues and is not reported).
    private func play(_ samples: [Int16], kind: CueKind?, due: SuspendingClock.Instant) {
        let speech = shared.condition.withLock { shared.speech.removeValue(forKey: due) }
        func report(_ playback: @autoclosure () -> CuePlayback) {
            if kind != nil { self.report(playback()) }
        }
        let kind = kind ?? .step
        if SuspendingClock.now - due > CuePlayer.dropLateness {
            // The runner already chose which late cues matter; playing stale ones would
            // only push every later cue back.
            logger.debug("late cue dropped", metadata: ["cue": "\(kind.rawValue)"])
            report(CuePlayback(kind: kind, due: due, handedAt: .now, ok: false, dropped: true))
            return
        }
        guard let sink = ensureOpen() else {
            report(CuePlayback(kind: kind, due: due, handedAt: .now, ok: false))
            return
        }
        if SuspendingClock.now < due {
            MonotonicCondition.sleep(until: due)
        }
        let handedAt = SuspendingClock.now
        do {
            try sink.play(samples, due: due)
            // The idle time counts from the cue's due time, not from the end of a write
            // that a sound server may have kept waiting.
            lastUse = handedAt
            health.succeeded()
            report(CuePlayback(kind: kind, due: due, handedAt: handedAt, ok: true))
        } catch {
            health.failed(error)
            closeSink()  // the next cue reopens it
            report(CuePlayback(kind: kind, due: due, handedAt: handedAt, ok: false))
            return
        }
        guard let speech else { return }
        do {
            try say(speech, after: due)
        } catch {
            health.failed(error)
            closeSink()
        }
    }

    /// How long the playback thread may wait for a prompt that is still being synthesized.
    static let speechPatience: Duration = .seconds(1)
    /// Room left before the next queued cue, which a prompt never eats into.
    static let speechMargin: Duration = .milliseconds(150)
    /// A prompt cut shorter than this is not worth starting.
    static let shortestPrompt: Duration = .milliseconds(500)

    /// Speaks `prompt` after the tone of the cue due at `due`: waits for its samples if
    /// they are not ready yet (at most ``speechPatience``), and cuts it short so that it
    /// ends ``speechMargin`` before the next cue is due — by the session's plan (the
    /// prompt's room) or by a cue already queued — so a prompt never delays a cue. The
    /// tone has already marked the instant.
    private func say(_ prompt: VoicePrompts.Prompt, after due: SuspendingClock.Instant) throws {
        guard let synthesizer, let sink else { return }
        var nextDue = shared.condition.withLock { shared.queue.items.lazy.compactMap(\.due).first }
        if let room = prompt.room { nextDue = min(nextDue ?? due + room, due + room) }
        var deadline = SuspendingClock.now + Self.speechPatience
        if let nextDue { deadline = min(deadline, nextDue - Self.speechMargin - Self.shortestPrompt) }
        guard var samples = synthesizer.samples(for: prompt.text) ?? synthesizer.waitForSamples(for: prompt.text, until: deadline) else {
            logger.debug("prompt not spoken: not ready in time", metadata: ["text": "\(prompt.text)"])
            return
        }
        if let nextDue {
            let room = nextDue - SuspendingClock.now - Self.speechMargin
            let fits = max(0, Int(room.milliseconds) * sampleRate / 1000)
            if fits < Int(Self.shortestPrompt.milliseconds) * sampleRate / 1000 {
                logger.debug("prompt not spoken: the next cue is too close", metadata: ["text": "\(prompt.text)"])
                return
            }
            if samples.count > fits {
                samples = Array(samples.prefix(fits))
                let fade = min(samples.count, sampleRate / 100)  // 10 ms, no click
                for index in 0..<fade {
                    let position = samples.count - fade + index
                    samples[position] = Int16(Double(samples[position]) * Double(fade - index) / Double(fade))
                }
            }
        }
        try sink.play(samples)
    }

    /// The open sink, opening one if there is none. One attempt per call: a failing
    /// device is retried at the next cue, never in a loop.
    private func ensureOpen() -> (any AudioSink)? {
        if let sink {
            return sink
        }
        let candidate = makeSink(device)
        do {
            try candidate.open(sampleRate: sampleRate)
            sink = candidate
            lastUse = SuspendingClock.now
            feedAt = lastUse
            health.succeeded()
            logger.debug("audio device opened", metadata: ["device": "\(device)"])
            return candidate
        } catch {
            candidate.close()
            health.failed(error)
            return nil
        }
    }

    /// Releases the open device with the queue's lock dropped (closing may drain).
    private func releaseIdleSink(_ condition: MonotonicCondition) {
        condition.unlock()
        logger.debug("releasing idle audio device", metadata: ["device": "\(device)"])
        closeSink()
        condition.lock()
    }

    /// Lets the open sink top up its stream (a real-time device between cues).
    private func feed() {
        guard let sink else {
            feedAt = nil
            return
        }
        do {
            feedAt = try sink.keepAlive().map { SuspendingClock.now + $0 }
        } catch {
            health.failed(error)
            closeSink()  // the next cue reopens it
        }
    }

    private func closeSink() {
        feedAt = nil
        guard let sink else { return }
        self.sink = nil
        sink.close()
        logger.debug("audio device released", metadata: ["device": "\(device)"])
    }

    private func report(_ playback: CuePlayback) {
        onPlayed?(playback)
    }
}
