import GuideCore
import Logging
import Synchronization

/// Plays cues at their due instants on a playback thread of its own, so that neither a
/// slow device (ALSA writes block while the sound plays) nor a broken one can delay the
/// session's timeline: ``schedule(_:due:)`` only queues and returns.
///
/// - The thread sleeps on a condition variable when there is nothing to do (no polling),
///   and for a queued cue until a few ms before it is due, then finishes with an absolute
///   `clock_nanosleep` on CLOCK_MONOTONIC — `SuspendingClock`'s clock, the runner's.
/// - The device is opened at ``beginSession(sounds:hasOwnVolume:)`` and released at
///   ``endSession()`` once the cues queued before it have played, so other programs can
///   use it between sessions. Within a session it is also released after `idleRelease`
///   without sound (a paused session, a long step) and opened again shortly before the
///   next cue that ``expectCue(at:)`` announced.
/// - If opening or writing fails, ``status`` turns `ok: false` with the error text,
///   `onStatusChange` fires (once per change, as does a warning log line), and the next
///   cue tries the device again; when it works again the status turns back to `ok: true`.
/// - A cue that is more than ``dropLateness`` late when its turn comes is dropped.
///
/// **Volume rule.** A session's own `cues.volume` wins; otherwise `volumeOverride` (the
/// daemon's `--volume`) wins; otherwise `sounds.volume` (the palette default). The
/// session's palette arrives as `CueSounds`, which cannot tell an explicit volume from
/// the default, so the caller says so with `hasOwnVolume` (`Session.hasOwnVolume`).
///
/// `onStatusChange` and `onPlayed` are called on the playback thread; they must return
/// quickly and must not call ``shutdown()``.
public final class CuePlayer: Sendable {
    /// Cues later than this when the playback thread gets to them are not played.
    public static let dropLateness: Duration = .milliseconds(250)

    public let device: String
    public let sampleRate: Int
    public let volumeOverride: Double?
    let shared = PlaybackShared()
    private let health: AudioHealth
    private let thread: PlaybackThread
    private let logger: Logger
    /// Spoken prompts: nil when the daemon was made without voice settings.
    let voice: VoiceSettings?
    private let synthesizer: SpeechSynthesizer?
    /// The current session's prompts by cue index (empty when it does not speak).
    private let script = Mutex<[Int: VoicePrompts.Prompt]>([:])

    /// - Parameters:
    ///   - device: any ALSA PCM name (`default`, `hw:1`, `null`, `file:'/tmp/cues.raw',raw`).
    ///   - volumeOverride: the daemon-wide volume, 0…1 (see the volume rule above).
    ///   - sinkFactory: makes a sink for a device name each time the device is (re)opened;
    ///     `nil` plays through ALSA (``ALSASink``).
    ///   - onStatusChange: told each time ``status`` changes.
    ///   - onPlayed: told what became of every scheduled cue.
    public init(
        device: String, sampleRate: Int = 48_000, volumeOverride: Double? = nil, logger: Logger,
        sinkFactory: (@Sendable (String) -> any AudioSink)? = nil,
        onStatusChange: @escaping @Sendable (Status.AudioStatus) -> Void,
        onPlayed: (@Sendable (CuePlayback) -> Void)? = nil,
        voice: VoiceSettings? = nil,
        idleRelease: Duration = .seconds(5)
    ) {
        self.device = device
        self.sampleRate = sampleRate
        self.volumeOverride = volumeOverride.map { min(1, max(0, $0)) }
        self.logger = logger
        ALSADiagnostics.routeIfUnset(to: logger)
        let health = AudioHealth(device: device, logger: logger, onChange: onStatusChange)
        self.health = health
        self.voice = voice
        let synthesizer = voice.map { settings in
            SpeechSynthesizer(settings: settings, sampleRate: sampleRate, logger: logger, onProblem: { health.voiceChanged($0) })
        }
        self.synthesizer = synthesizer
        let worker = PlaybackWorker(
            shared: shared, device: device, sampleRate: sampleRate,
            fallbackVolume: self.volumeOverride ?? CueSounds.defaultVolume,
            makeSink: sinkFactory ?? { ALSASink(device: $0) },
            health: health, logger: logger, onPlayed: onPlayed, synthesizer: synthesizer, idleRelease: idleRelease,
            loadsALSAConfiguration: sinkFactory == nil)
        self.thread = PlaybackThread(name: "guide-player") { worker.run() }
    }

    deinit {
        shutdown()
    }

    /// The volume the palette is rendered at; see the volume rule in the type's docs.
    public static func effectiveVolume(sounds: CueSounds, hasOwnVolume: Bool, volumeOverride: Double?) -> Double {
        hasOwnVolume ? sounds.volume : (volumeOverride ?? sounds.volume)
    }

    /// Starts a session: renders (or reuses) the palette for `sounds` here, then opens the
    /// device on the playback thread, after anything already queued.
    /// - Parameter hasOwnVolume: whether `sounds.volume` was set by the session itself
    ///   (`Session.hasOwnVolume`), in which case it wins over `volumeOverride`.
    public func beginSession(sounds: CueSounds, hasOwnVolume: Bool = false) {
        let volume = Self.effectiveVolume(sounds: sounds, hasOwnVolume: hasOwnVolume, volumeOverride: volumeOverride)
        let palette = RenderedPalette.rendered(sounds, volume: volume, sampleRate: sampleRate)
        enqueueShared { shared in
            shared.takenAnnounced = [:]  // a new session's cues count from 0 again
            shared.queue.append(.begin(palette))
        }
    }

    /// Queues `kind` to start at `due` (on `SuspendingClock`). Never blocks on the device.
    public func schedule(_ kind: CueKind, due: SuspendingClock.Instant) {
        enqueue { $0.insertCue(kind, due: due) }
    }

    /// Starts `session`: its palette as ``beginSession(sounds:hasOwnVolume:)``, and, when it
    /// speaks (its `voice`, else the daemon's ``VoiceSettings/enabled``), its prompts, which
    /// are synthesized from now on on the synthesis thread, in the order they will be said.
    public func beginSession(_ session: Session) {
        beginSession(sounds: session.sounds, hasOwnVolume: session.hasOwnVolume)
        guard let synthesizer, let voice, session.voice ?? voice.enabled else {
            script.withLock { $0 = [:] }
            return
        }
        let timeline = Timeline(session)
        let prompts = VoicePrompts.script(for: timeline)
        script.withLock { $0 = prompts }
        synthesizer.prepare(prompts.keys.sorted().compactMap { prompts[$0]?.text })
    }

    /// Queues `cue` as ``schedule(_:due:)`` does, followed by its spoken prompt when the
    /// session speaks: right after the tone, which still marks the exact instant.
    ///
    /// A cue that was announced for (about) this time is not queued twice: the announced
    /// one is made certain, or — if the playback thread already took it — left alone.
    public func schedule(_ cue: Cue, due: SuspendingClock.Instant) {
        let prompt = script.withLock { $0[cue.index] }
        enqueueShared { shared in
            if let taken = shared.takenAnnounced[cue.index], PlaybackQueue.isSameCue(taken, due) { return }
            if shared.queue.confirm(index: cue.index, due: due) { return }
            shared.queue.insertCue(cue.kind, due: due)
            if let prompt { shared.speech[due] = prompt }
        }
    }

    /// Queues the session's next cues ahead of their time, so that they sound exactly
    /// when due even if the caller's own timer fires late (a busy machine keeps an
    /// ordinary thread off the CPU for tens of milliseconds; the playback thread runs at
    /// real-time priority while it holds a stream). They are only announced: the caller
    /// confirms each with ``schedule(_:due:)`` when it comes, and ``withdrawAnnounced()``
    /// (or a pause or end) drops those that will not come after all.
    public func announce(_ cues: [Cue], due: SuspendingClock.Instant) {
        guard !cues.isEmpty else { return }
        let prompts = script.withLock { script in cues.map { script[$0.index] } }
        enqueueShared { shared in
            for (cue, prompt) in zip(cues, prompts) {
                shared.queue.insertCue(cue.kind, due: due, announced: cue.index)
                if let prompt { shared.speech[due] = prompt }
            }
        }
    }

    /// Drops the announced cues that were not confirmed: the session moved (skip, back,
    /// a resume after a sleep) and its next cues are announced anew.
    public func withdrawAnnounced() {
        enqueueShared { Self.withdraw($0) }
    }

    private static func withdraw(_ shared: PlaybackShared) {
        for due in shared.queue.withdrawAnnounced() {
            shared.speech.removeValue(forKey: due)
        }
    }

    /// Queues a reminder (DESIGN.md §7) to sound at `due`: its own tones at the daemon's
    /// volume, then `say` spoken when `speak` and a voice is available. It plays beside a
    /// session without touching the session's palette or prompts, and outside a session the
    /// device is released again right after it.
    public func playReminder(tones: [Tone], say: String?, speak: Bool, due: SuspendingClock.Instant) {
        let samples = ToneSynthesizer(sampleRate: sampleRate).render(tones, volume: volumeOverride ?? CueSounds.defaultVolume)
        var prompt: VoicePrompts.Prompt?
        if speak, let say, let synthesizer {
            synthesizer.add(say)
            prompt = VoicePrompts.Prompt(text: say, room: nil)
        }
        enqueue { queue in
            queue.insertSound(samples, due: due)
            if let prompt { shared.speech[due] = prompt }
        }
    }

    /// Whether reminders speak unless they say otherwise (the daemon's voice setting).
    public var speaksByDefault: Bool { voice?.enabled ?? false }

    /// Announces that the next cue is due at `due`, so that a device released while the
    /// session waited is open again by then. Stale announcements (the session was paused)
    /// are harmless: the device is released again after `idleRelease`.
    public func expectCue(at due: SuspendingClock.Instant) {
        enqueue { $0.insertPrepare(cueDue: due) }
    }

    /// Ends the session: the cues already queued still play, then the device is closed
    /// once they have been heard. Cues announced by ``expectCue(at:)`` are forgotten, so a
    /// stopped session never opens the device again.
    public func endSession() {
        script.withLock { $0 = [:] }
        enqueueShared { shared in
            Self.withdraw(shared)
            shared.queue.removePrepares()
            shared.queue.append(.end)
        }
    }

    /// The session is paused: nothing is due until it resumes. The cues already queued
    /// still play, then the device is released for other programs; announced cues are
    /// forgotten. The next cue (or ``expectCue(at:)`` after the resume) opens it again.
    public func pauseSession() {
        enqueueShared { shared in
            Self.withdraw(shared)
            shared.queue.removePrepares()
            shared.queue.append(.release)
        }
    }

    /// The device's health as the status reports it.
    public var status: Status.AudioStatus {
        health.status
    }

    /// How long ``shutdown()`` waits for the playback thread.
    public static let shutdownPatience: Duration = .seconds(3)

    /// Stops the playback thread: queued cues are discarded, the device is closed, and
    /// this returns once the thread has finished (after the cue it may be playing) — or
    /// after ``shutdownPatience`` if the thread is stuck in a call that cannot be
    /// interrupted (opening a FIFO no one reads): then it is left to the process's exit,
    /// so that a daemon's stop never hangs on its sound device. Later calls do nothing.
    public func shutdown() {
        let first = shared.condition.withLock {
            let first = !shared.stopping
            shared.stopping = true
            shared.queue.removeAll()
            shared.speech.removeAll()
            return first
        }
        shared.condition.broadcast()
        synthesizer?.shutdown()
        if first {
            logger.debug("audio playback stopping", metadata: ["device": "\(device)"])
        }
        if !thread.join(until: .now + Self.shutdownPatience) {
            logger.warning("audio playback did not stop in time; leaving it behind", metadata: ["device": "\(device)"])
        }
    }

    private func enqueue(_ change: (inout PlaybackQueue) -> Void) {
        enqueueShared { change(&$0.queue) }
    }

    /// Changes the shared state under its lock (unless stopping) and wakes the playback
    /// thread.
    private func enqueueShared(_ change: (PlaybackShared) -> Void) {
        shared.condition.withLock {
            guard !shared.stopping else { return }
            change(shared)
        }
        shared.condition.broadcast()
    }
}
