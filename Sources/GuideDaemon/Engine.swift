import FoundationEssentials
import GuideAudio
import GuideCore
import GuideProtocol
import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The heart of the daemon: one runner on a monotonic clock, the session library, cue
/// playback, history and the event hub, so that every command and every cue sees one
/// consistent state.
///
/// **Confined to the daemon's one event loop.** The engine is an actor whose executor is
/// that loop (``loop``), the loop that also serves the socket and every connection. A
/// connection's handler answers a request with `engine.assumeIsolated { $0.handle(…) }`:
/// it already runs on the loop, so that is a plain call — no hop to another thread, no
/// task, no published copy of the state — and any other caller (`await engine.reload()`
/// from a signal) is queued onto the same loop by Swift itself. No second thread ever
/// touches the state, and the compiler checks that nothing reaches it unisolated.
///
/// The engine waits only for the runner's next deadline, on a timer of its loop (none
/// while idle or paused: an idle daemon never wakes up), and hands each due cue to the
/// ``CuePlayer``, whose own thread writes it to ALSA; nothing here ever blocks on the
/// sound device.
///
/// Two clocks, on purpose: `clock` (the daemon passes ``EventLoopClock``: CLOCK_MONOTONIC,
/// which stops during system suspend and is never set, the time base of the loop's timers
/// too) decides every cue and every remaining second; `wallClock` only labels `startedAt`
/// and history entries. Setting the date back or forward therefore changes no timing of a
/// running session (see GuideDaemonTests' EngineClockTests, which run the engine on NIO's
/// testing loop with a clock that reads the loop's own time).
public actor Engine<C: Clock & Sendable> where C.Duration == Duration {
    /// The event loop this engine runs on: its executor, and the loop of its timers.
    public nonisolated let loop: any EventLoop
    /// Held so that the unowned reference below stays valid (for NIO's own loops it is the
    /// loop itself).
    private nonisolated let executor: any SerialExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Every command, by name: what ``handle(_:from:)`` answers with.
    nonisolated let commands = CommandTable<C>()

    var runner: Runner<C>
    private var library: SessionLibrary
    private let directories: [String]
    let player: CuePlayer?
    let history: HistoryStore
    let snapshots: SnapshotStore?
    private let hooks: HookRunner?
    let logger: Logger
    let wallClock: @Sendable () -> Date
    private let hub = EventHub()
    /// The loop timer for the runner's next deadline.
    private var timer: Scheduled<Void>?
    private var audioStatus: Status.AudioStatus
    /// The schedule's reminders and their one timer (Engine+Schedule.swift); nil without a schedule.
    var reminders: ReminderService?
    var reminderTimer: Scheduled<Void>?
    /// What `status` carries of the schedule (Engine+Schedule.swift keeps it current).
    var reminderStatus: Status.ReminderStatus?
    /// Sees system suspend between two looks (Engine+Schedule.swift).
    var suspendDetector = SuspendDetector.current()
    /// Whether a ``WallClockWatcher`` reports clock sets and resumes; until then the
    /// reminder timer looks again every ``reminderRecheck`` (Engine+Schedule.swift).
    var wallClockWatched = false
    private var statusObserver: (@Sendable (String) -> Void)?
    private var lastStatusLine = ""

    /// `loop` must be one of NIO's own loops (MultiThreadedEventLoopGroup's, or
    /// NIOAsyncTestingEventLoop in tests): they are Swift executors that can tell whether
    /// code runs on them.
    public init(
        clock: C, loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(), directories: [String],
        player: CuePlayer?, audioDevice: String, history: HistoryStore,
        snapshots: SnapshotStore? = nil, hooks: HookRunner? = nil, logger: Logger,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.loop = loop
        self.executor = loop.executor
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

    /// Runs `operation` isolated to the engine, from code that runs on ``loop`` (a channel
    /// handler, a timer of the loop) — `assumeIsolated` with NIO's own check.
    ///
    /// Why not `assumeIsolated` itself: off a task, the Swift runtime checks isolation the
    /// long way round (through the executor's `checkIsolated`) and hands the result back
    /// through an unspecialized generic, on every request. Being on the loop's thread is
    /// exactly what isolation to this actor means: its executor is that loop, which runs
    /// one thing at a time.
    nonisolated func onLoop<T>(_ operation: (isolated Engine) -> T) -> T {
        loop.preconditionInEventLoop()
        return withoutActuallyEscaping(operation) { operation in
            unsafeBitCast(operation, to: ((Engine) -> T).self)(self)
        }
    }

    // MARK: - Commands

    /// Answers one request from the command table (``CommandTable``). `requester` is the
    /// connection that sent it, for `subscribe`.
    public func handle(_ request: Request, from requester: Requester = .none) -> Response {
        var response = commands.answer(request, engine: self, requester: requester)
        response.id = request.id
        return response
    }

    /// What `status` answers: the runner's state now, on the engine's clock.
    public var status: Status {
        var status = runner.status
        status.audio = audioStatus
        status.reminders = reminderStatus
        return status
    }

    /// When the engine's timer fires next: the runner's next deadline (nil while idle or
    /// paused, when no timer is set).
    public var nextDeadline: C.Instant? { runner.nextDeadline }

    /// Attaches a connection to the events (``EventHub``).
    func subscribe(_ requester: Requester) {
        guard let id = requester.id, let subscriber = requester.subscriber else { return }
        hub.add(id, subscriber)
    }

    /// Detaches a connection (it closed).
    public func unsubscribe(_ id: ObjectIdentifier) { hub.remove(id) }

    /// Re-reads the session directories (SIGHUP or `reload`). A file that no longer parses
    /// keeps its previous version; the running session is never touched.
    public func reload() -> Response {
        reloadSchedule()
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
        reminderTimer?.cancel()
        reminderTimer = nil
        if runner.state == .running || runner.state == .paused {
            record(.abandoned)
            logger.notice("session abandoned at shutdown", metadata: ["session": "\(runner.session?.name ?? "")"])
        }
        snapshots?.remove()
        player?.endSession()
        hub.finishAll()
    }

    /// Puts a session saved by a previous daemon back, paused where it was when that
    /// daemon was last alive, as the session was when it started (its file may have been
    /// edited since; see ``SnapshotStore/Saved/restorePosition``).
    public func restoreSnapshot() {
        guard let snapshots, let saved = snapshots.load() else { return }
        guard let session = saved.definition ?? library.session(named: saved.session)?.session else {
            logger.warning("saved session no longer exists; not restored", metadata: ["session": "\(saved.session)"])
            snapshots.remove()
            return
        }
        runner.restorePaused(session, elapsed: saved.restorePosition, startedAt: saved.startedAt)
        // Its own cue sounds and prompts, as at `start` (the idle device is released again
        // after a few seconds while it stays paused).
        player?.beginSession(session)
        player?.pauseSession()  // restored paused: nothing is due, the device is not held
        logger.notice(
            "restored session after an unexpected exit; paused",
            metadata: ["session": "\(session.name)", "step": "\(status.step?.index ?? 0)", "elapsed": "\(runner.elapsed.milliseconds / 1000)s"])
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

    func start(_ name: String?, replace: Bool) -> Response {
        guard let name else {
            return failure(.invalidRequest, "name a session to start (no reminder has announced one yet); see 'guidectl list'")
        }
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
        fire(announcing: Event(.started, status: status))
        snapshots?.save(runner: runner)
        return Response(status: status)
    }

    func stop() -> Response {
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
            rearmReminders()
            return Response(status: status)
        }
    }

    func pauseOrResume(_ command: Command) -> Response {
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

    func move(_ command: Command) -> Response {
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

    func show(_ name: String) -> Response {
        if let problem = SessionName.problem(with: name) { return failure(.invalidName, problem) }
        guard let session = library.session(named: name)?.session else {
            return failure(.unknownSession, "no session named \(JSONValue.quoted(name)); see 'guidectl list'")
        }
        return Response(session: SessionDetail(session))
    }

    func readHistory(limit: Int) -> Response {
        do {
            // Sessions and the reminders' outcomes (Engine+Schedule.swift), from one read.
            let recorded = try history.contents(limit: limit)
            return Response(history: recorded.sessions, reminders: recorded.reminders)
        } catch {
            return failure(.internal, "cannot read history: \(error)")
        }
    }

    private func notRunning() -> Response {
        failure(.notRunning, "nothing is running; start a session with 'guidectl start NAME'")
    }

    /// The sessions as `list` shows them.
    func list() -> Response { Response(sessions: library.summaries, errors: library.fileErrors) }

    func version() -> Response { Response(version: VersionInfo(daemon: GuideVersion.current, pid: getpid())) }

    func failure(_ code: ErrorCode, _ message: String) -> Response {
        logger.debug("request refused", metadata: ["code": "\(code.rawValue)", "reason": "\(message)"])
        return .failure(ProtocolError(code, message), id: nil)
    }

    // MARK: - Time

    /// Accounts for every due cue, sounds the ones worth sounding, publishes their events
    /// (after `announcement`, e.g. `started`), and sets the timer for the next deadline.
    ///
    /// Sounds first: writing an event to hundreds of subscribers takes a while, and the cue
    /// must not wait for it.
    private func fire(announcing announcement: Event? = nil) {
        noticeSuspend()
        let firings = runner.tick()
        let finished = runner.state == .finished && firings.contains { $0.cue.kind == .end }
        for firing in firings {
            if firing.disposition == .play {
                player?.schedule(firing.cue, due: SuspendingClock.now.advanced(by: .zero - firing.lateness))
            } else if firing.disposition == .lateSilent {
                logger.debug("late cue not sounded", metadata: ["cue": "\(firing.cue.kind.rawValue)", "late": "\(firing.lateness)"])
            }
        }
        if finished {
            // After the end cue is queued: the history line is fsync'd, which on a busy disk
            // took long enough to make the end cue late (the load test saw 40–240 ms).
            // Before `finished` is published: whoever hears of it can read the history.
            logger.notice("session finished", metadata: ["session": "\(runner.session?.name ?? "")"])
            record(.finished)
            snapshots?.remove()
        }
        if let announcement { publish(announcement) }
        for firing in firings {
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

    func rearm() {
        timer?.cancel()
        timer = nil
        rearmReminders()  // the routine's gate on reminders changed with it
        // Cues announced for a deadline that moved (skip, back, a resume after a sleep)
        // will not come; those of the new deadline are announced below.
        player?.withdrawAnnounced()
        guard let deadline = runner.nextDeadline else { return }
        let wait = runner.clock.now.duration(to: deadline)
        let due = SuspendingClock.now.advanced(by: wait)
        if wait > .seconds(2) {
            // The player may release the device during a long wait; it reopens it just
            // before this cue (shorter waits never release it).
            player?.expectCue(at: due)
        }
        // Queued now, sounded by the playback thread when due: the cue does not wait for
        // this loop's timer, which a busy machine can delay by tens of milliseconds. The
        // timer below confirms it (``fire(announcing:)``), publishes the events and moves on.
        player?.announce(runner.upcomingCues, due: due)
        // A timer of the loop, not a sleeping task: it fires on the loop, which is this
        // actor's executor, so the call below is a plain call.
        timer = loop.scheduleTask(in: EventLoopClock.timeAmount(max(wait, .zero))) { [weak self] in
            self?.onLoop { $0.timerFired(deadline) }
        }
    }

    private func timerFired(_ deadline: C.Instant) {
        // A command may have moved the deadline since this timer was set.
        guard runner.nextDeadline == deadline else { return }
        fire()
    }

    // MARK: - Records

    /// Sends `event` to subscribers and refreshes systemd's STATUS= line: every state change
    /// goes through here.
    func publish(_ event: Event) {
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
