import Foundation
import GuideAudio
import GuideCore
import GuideProtocol
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The heart of the daemon: one runner on a monotonic clock, the session library, cue
/// playback, history and the event hub, behind one actor so that every command and
/// every cue sees one consistent state.
///
/// The engine sleeps only until the runner's next deadline (none while idle or paused:
/// an idle daemon never wakes up) and hands each due cue to the ``CuePlayer``, whose own
/// thread writes it to ALSA; nothing here ever blocks on the sound device.
///
/// Two clocks, on purpose: `clock` (the daemon passes ``EventLoopClock``: CLOCK_MONOTONIC,
/// which stops during system suspend and is never set) decides every cue and every
/// remaining second; `wallClock` only labels `startedAt` and history entries. Setting the
/// date back or forward therefore changes no timing of a running session (see
/// GuideDaemonTests' EngineClockTests).
public actor Engine<C: Clock & Sendable> where C.Duration == Duration {
    /// Every change is published to `board` at once (see ``publishedStatus``).
    private var runner: Runner<C> {
        didSet { board.publish(runner) }
    }
    private var library: SessionLibrary
    private let directories: [String]
    private let player: CuePlayer?
    private let history: HistoryStore
    private let snapshots: SnapshotStore?
    private let hooks: HookRunner?
    private let logger: Logger
    private let wallClock: @Sendable () -> Date
    private var hub = EventHub()
    private var timer: Task<Void, Never>?
    private var audioStatus: Status.AudioStatus {
        didSet { board.publish(audioStatus) }
    }
    /// The state `status` is computed from, for readers off the actor.
    let board: StatusBoard<C>
    private var statusObserver: (@Sendable (String) -> Void)?
    private var lastStatusLine = ""

    public init(
        clock: C, directories: [String], player: CuePlayer?, audioDevice: String, history: HistoryStore,
        snapshots: SnapshotStore? = nil, hooks: HookRunner? = nil, logger: Logger,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.runner = Runner(clock: clock)
        self.directories = directories
        self.library = SessionLibrary.load(directories: directories)
        self.player = player
        self.history = history
        self.snapshots = snapshots
        self.hooks = hooks
        self.logger = logger
        self.wallClock = wallClock
        self.audioStatus = player?.status ?? Status.AudioStatus(device: audioDevice, ok: true)
        self.board = StatusBoard(runner: runner, audio: audioStatus)
        for failure in library.errors {
            logger.warning("session file not loaded", metadata: ["file": "\(failure.path)", "reason": "\(failure.message)"])
        }
    }

    /// Called with a one-line summary whenever it changes (`cooldown 3/9 Knee-to-chest (left)`
    /// or `idle`), for systemd's STATUS=.
    public func observeStatusLine(_ observer: @escaping @Sendable (String) -> Void) {
        statusObserver = observer
        lastStatusLine = ""
        reportStatusLine()
    }

    // MARK: - Commands

    /// Answers one request. `subscribe` is answered here too; the caller attaches the stream.
    public func handle(_ request: Request) -> Response {
        var response: Response
        switch request.command {
        case .status, .subscribe: response = Response(status: status)
        case .start: response = start(request.session ?? "", replace: request.replace ?? false)
        case .stop: response = stop()
        case .pause, .resume, .toggle: response = pauseOrResume(request.command)
        case .skip, .back: response = move(request.command)
        case .list: response = Response(sessions: library.summaries, errors: library.fileErrors)
        case .show: response = show(request.session ?? "")
        case .reload: response = reload()
        case .history: response = readHistory(limit: request.limit ?? 10)
        case .version: response = Response(version: VersionInfo(daemon: GuideVersion.current, pid: getpid()))
        }
        response.id = request.id
        return response
    }

    /// The same state the socket server reads off the actor (every change is published).
    public var status: Status { board.status }

    /// ``status`` without waiting for the actor: computed from the state the engine
    /// published at its last change, on the engine's clock, now. Equal to `status` read at
    /// the same instant, since the engine publishes every change before it answers the
    /// command that made it. The socket server answers `status` requests from it.
    public nonisolated var publishedStatus: Status { board.status }

    public var subscriberCount: Int { hub.count }

    /// A new subscriber's event lines (each a whole NDJSON line). At most `backlog` events
    /// wait for a slow reader; one more and the subscriber is dropped: its stream ends and
    /// `onDrop` is called (the server closes the connection there).
    public func subscribe(
        backlog: Int = 1024, onDrop: @escaping @Sendable () -> Void = {}
    ) -> (id: Int, lines: AsyncStream<[UInt8]>) {
        hub.add(backlog: backlog, onDrop: onDrop)
    }

    public func unsubscribe(_ id: Int) { hub.remove(id) }

    /// Re-reads the session directories (SIGHUP or `reload`). A file that no longer parses
    /// keeps its previous version; the running session is never touched.
    public func reload() -> Response {
        library = library.reloaded(directories: directories)
        for failure in library.errors {
            logger.warning("session file not loaded", metadata: ["file": "\(failure.path)", "reason": "\(failure.message)"])
        }
        logger.info("sessions reloaded", metadata: ["sessions": "\(library.names.count)", "errors": "\(library.errors.count)"])
        let message = "\(library.names.count) sessions, \(library.errors.count) files with errors"
        publish(Event(.reloaded, status: status, message: message))
        return Response(sessions: library.summaries, errors: library.fileErrors)
    }

    /// Ends the daemon's part on a clean stop (SIGTERM): a running session is recorded as
    /// abandoned and not restored next time (only a daemon that *died* leaves a snapshot),
    /// and subscribers are released.
    public func shutdown() {
        timer?.cancel()
        timer = nil
        if runner.state == .running || runner.state == .paused {
            record(.abandoned)
            logger.notice("session abandoned at shutdown", metadata: ["session": "\(runner.session?.name ?? "")"])
        }
        snapshots?.remove()
        player?.endSession()
        hub.finishAll()
    }

    /// Puts a session saved by a previous daemon back, paused where it was.
    public func restoreSnapshot() {
        guard let snapshots, let saved = snapshots.load() else { return }
        guard let session = library.session(named: saved.session)?.session else {
            logger.warning("saved session no longer exists; not restored", metadata: ["session": "\(saved.session)"])
            snapshots.remove()
            return
        }
        runner.restorePaused(session, elapsed: .milliseconds(saved.elapsedMilliseconds), startedAt: saved.startedAt)
        // Its own cue sounds and prompts, as at `start` (the idle device is released again
        // after a few seconds while it stays paused).
        player?.beginSession(session)
        player?.pauseSession()  // restored paused: nothing is due, the device is not held
        logger.notice(
            "restored session after an unexpected exit; paused",
            metadata: ["session": "\(session.name)", "step": "\(status.step?.index ?? 0)", "elapsed": "\(saved.elapsedMilliseconds / 1000)s"])
        snapshots.save(runner: runner)
        reportStatusLine()
    }

    /// Audio status changes come from the player's thread.
    public func audioChanged(_ audio: Status.AudioStatus) {
        guard audio != audioStatus else { return }
        audioStatus = audio  // the player has logged the change already, once
        let message: String
        switch (audio.ok, audio.error) {
        case (true, nil): message = "audio device \(audio.device) works"
        case (true, let note?): message = note  // e.g. the voice is unavailable; tones still play
        case (false, let error): message = "audio device \(audio.device) failed: \(error ?? "unknown error")"
        }
        publish(Event(.audio, status: status, message: message))
    }

    private func start(_ name: String, replace: Bool) -> Response {
        if let problem = SessionName.problem(with: name) { return failure(.invalidName, problem) }
        guard let session = library.session(named: name)?.session else {
            var message = "no session named \(JSONValue.quoted(name))"
            if let near = Spelling.nearest(to: name, in: library.names) { message += " (did you mean \"\(near)\"?)" }
            return failure(.unknownSession, message + "; see 'guidectl list'")
        }
        if runner.state == .running || runner.state == .paused {
            guard replace else {
                let current = status
                return failure(
                    .busy,
                    "\(current.session ?? "a session") is \(current.state.rawValue) (step \(current.step?.index ?? 0)/\(current.step?.count ?? 0)); stop it first or start with --replace")
            }
            record(.replaced)
            player?.endSession()
            runner.reset()
            publish(Event(.stopped, status: status, message: "replaced by \(name)"))
        }
        runner.start(session, startedAt: wallClock().formatted(.iso8601))
        player?.beginSession(session)  // palette, and spoken prompts when the session speaks
        logger.notice("session started", metadata: ["session": "\(name)", "total": "\(DurationText.format(runner.timeline!.total))"])
        publish(Event(.started, status: status))
        fire()
        snapshots?.save(runner: runner)
        return Response(status: status)
    }

    private func stop() -> Response {
        switch runner.state {
        case .idle:
            return failure(.notRunning, "nothing is running; start a session with 'guidectl start NAME'")
        case .finished:
            runner.reset()
            reportStatusLine()
            return Response(status: status)
        case .running, .paused:
            record(.stopped)
            logger.notice("session stopped", metadata: ["session": "\(runner.session?.name ?? "")"])
            timer?.cancel()
            player?.endSession()
            runner.reset()
            snapshots?.remove()
            publish(Event(.stopped, status: status))
            return Response(status: status)
        }
    }

    private func pauseOrResume(_ command: Command) -> Response {
        guard runner.state == .running || runner.state == .paused else { return notRunning() }
        let wasPaused = runner.state == .paused
        do {
            switch command {
            case .pause: try runner.pause()
            case .resume: try runner.resume()
            default: try runner.toggle()
            }
        } catch {
            return failure(.invalidState, "\(runner.session?.name ?? "the session") is \(wasPaused ? "already paused" : "already running")")
        }
        publish(Event(runner.state == .paused ? .paused : .resumed, status: status))
        if runner.state == .paused { player?.pauseSession() }  // nothing is due: release the device
        snapshots?.save(runner: runner)
        rearm()
        return Response(status: status)
    }

    private func move(_ command: Command) -> Response {
        guard runner.state == .running || runner.state == .paused else { return notRunning() }
        do {
            if command == .skip { try runner.skip() } else { try runner.back() }
        } catch {
            return notRunning()
        }
        if runner.state == .paused {
            publish(Event(.step, status: status))
        } else {
            fire()
        }
        snapshots?.save(runner: runner)
        return Response(status: status)
    }

    private func show(_ name: String) -> Response {
        if let problem = SessionName.problem(with: name) { return failure(.invalidName, problem) }
        guard let session = library.session(named: name)?.session else {
            return failure(.unknownSession, "no session named \(JSONValue.quoted(name)); see 'guidectl list'")
        }
        return Response(session: SessionDetail(session))
    }

    private func readHistory(limit: Int) -> Response {
        do {
            return Response(history: try history.latest(limit))
        } catch {
            return failure(.internal, "cannot read history \(history.path): \(error.localizedDescription)")
        }
    }

    private func notRunning() -> Response {
        failure(.notRunning, "nothing is running; start a session with 'guidectl start NAME'")
    }

    private func failure(_ code: ErrorCode, _ message: String) -> Response {
        logger.debug("request refused", metadata: ["code": "\(code.rawValue)", "reason": "\(message)"])
        return .failure(ProtocolError(code, message), id: nil)
    }

    // MARK: - Time

    /// Accounts for every due cue, sounds the ones worth sounding, publishes their events,
    /// and sleeps until the next deadline.
    private func fire() {
        let firings = runner.tick()
        let finished = runner.state == .finished && firings.contains { $0.cue.kind == .end }
        if finished {
            // Written before `finished` is published: whoever hears it can read the history.
            logger.notice("session finished", metadata: ["session": "\(runner.session?.name ?? "")"])
            record(.finished)
            snapshots?.remove()
        }
        for firing in firings {
            if firing.disposition == .play {
                player?.schedule(firing.cue, due: SuspendingClock.now.advanced(by: .zero - firing.lateness))
            } else if firing.disposition == .lateSilent {
                logger.debug("late cue not sounded", metadata: ["cue": "\(firing.cue.kind.rawValue)", "late": "\(firing.lateness)"])
            }
            if let event = event(for: firing.cue) { publish(event) }
        }
        if finished { player?.endSession() }  // after the end cue was queued
        rearm()
    }

    private func event(for cue: Cue) -> Event? {
        switch cue.kind {
        case .start: nil  // `started` was published by the command
        case .step, .rest: Event(.step, status: status)
        case .side: Event(.side, status: status)
        case .countdown: Event(.countdown, status: status, secondsLeft: cue.secondsLeft)
        case .end: Event(.finished, status: status)
        }
    }

    private func rearm() {
        timer?.cancel()
        timer = nil
        guard let deadline = runner.nextDeadline else { return }
        let clock = runner.clock
        let wait = clock.now.duration(to: deadline)
        if wait > .seconds(2) {
            // The player may release the device during a long wait; it reopens it just
            // before this cue (shorter waits never release it).
            player?.expectCue(at: SuspendingClock.now.advanced(by: wait))
        }
        timer = Task { [weak self] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return  // cancelled: a command re-armed the timer
            }
            await self?.timerFired(deadline)
        }
    }

    private func timerFired(_ deadline: C.Instant) {
        // A command may have moved the deadline while this task was waking up.
        guard runner.nextDeadline == deadline else { return }
        fire()
    }

    // MARK: - Records

    /// Sends `event` to subscribers and refreshes systemd's STATUS= line: every state change
    /// goes through here.
    private func publish(_ event: Event) {
        reportStatusLine()
        hooks?.run(event)  // returns at once; the hooks run detached (HookRunner)
        let dropped = hub.publish(event)
        if dropped > 0 {
            logger.warning("dropped subscribers that stopped reading", metadata: ["count": "\(dropped)"])
        }
    }

    private func record(_ outcome: HistoryEntry.Outcome) {
        guard let session = runner.session, let timeline = runner.timeline else { return }
        let entry = HistoryEntry(
            session: session.name, title: session.title, outcome: outcome,
            startedAt: runner.startedAt ?? wallClock().formatted(.iso8601), endedAt: wallClock().formatted(.iso8601),
            elapsed: outcome == .finished ? timeline.total.seconds : runner.elapsed.seconds, total: timeline.total.seconds)
        history.append(entry)
    }

    private func reportStatusLine() {
        guard let statusObserver else { return }
        let line = StatusLine.systemd(status)
        guard line != lastStatusLine else { return }
        lastStatusLine = line
        statusObserver(line)
    }
}
