import Dispatch
import GuideAudio
import GuideCore
import GuideProtocol
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Assembles and runs the daemon: engine, cue player, socket server, systemd
/// notifications and signals, all in one ServiceGroup so that SIGTERM and SIGINT end it
/// cleanly (socket removed, history written).
public enum Daemon {
    public static func run(_ options: DaemonOptions) async throws {
        signal(SIGPIPE, SIG_IGN)  // a `file "|cmd"` device whose reader exits must not kill us
        let journal = DaemonLogHandler.stderrIsJournal(environment: options.environment)
        let level = options.logLevel
        LoggingSystem.bootstrap { label in DaemonLogHandler(label: label, level: level, journal: journal) }
        let logger = Logger(label: "guided")
        let notifier = SystemdNotifier(environment: options.environment)

        // Before anything reads or writes state: a second daemon on the same state
        // directory stops here, having touched nothing (see StateLock).
        let stateLock = try StateLock.acquire(directory: options.stateDirectory)
        defer { withExtendedLifetime(stateLock) {} }
        if case .unusable(let reason) = stateLock {
            logger.warning("state directory cannot be locked", metadata: ["directory": "\(options.stateDirectory)", "reason": "\(reason)"])
        }
        let activated = try SocketActivation.listeningSocket(environment: options.environment)
        let engineBox = EngineBox()
        let audioLogger = Logger(label: "guided.audio")
        let player = CuePlayer(
            device: options.audioDevice, volumeOverride: options.volume, logger: audioLogger,
            onStatusChange: { status in
                Task { await engineBox.engine?.audioChanged(status) }
            },
            onPlayed: { playback in
                // How late each cue's first sample reached the device, measured on the runner's
                // clock; the load test reads these lines.
                audioLogger.debug(
                    "cue played",
                    metadata: [
                        "cue": "\(playback.kind.rawValue)", "late_ms": "\(playback.lateness.millisecondsText)",
                        "ok": "\(playback.ok)", "dropped": "\(playback.dropped)",
                    ])
            },
            voice: options.voice)
        let history = HistoryStore(path: options.stateDirectory + "/history.jsonl", logger: logger)
        if let problem = history.checkDirectory() {
            // Sessions still run; each failed write is logged again as it happens.
            logger.warning(
                "state directory cannot be used; history and crash recovery will not be saved",
                metadata: ["directory": "\(options.stateDirectory)", "reason": "\(problem)"])
        }
        // The session runs on SuspendingClock's time: CLOCK_MONOTONIC on Linux, which stops
        // while the system is suspended (so a suspended laptop pauses the session instead of
        // skipping steps) and never jumps when the wall clock is set (NTP, `date -s`, a
        // time zone change). ContinuousClock would be CLOCK_BOOTTIME, which counts suspend.
        // EventLoopClock is that time, slept on NIO's timers (see there why).
        // The wall clock (Date) only labels `startedAt` and history entries.
        let clock = EventLoopClock()
        let engine = Engine(
            clock: clock, directories: options.sessionDirectories, player: player, audioDevice: options.audioDevice,
            history: history,
            snapshots: SnapshotStore(
                path: options.stateDirectory + "/running.json", logger: logger,
                sleep: { try await clock.sleep(for: $0) }),
            hooks: HookRunner.fromEnvironment(options.environment, logger: Logger(label: "guided.hooks")), logger: logger)
        engineBox.engine = engine
        await engine.restoreSnapshot()
        await engine.loadSchedule(path: options.schedulePath)
        // Clock sets, resumes and time zone changes re-plan the reminders at once.
        let clockWatcher = WallClockWatcher(
            loop: engine.loop, zoneFile: WallClockWatcher.localZoneFile(environment: options.environment),
            logger: logger
        ) { change, stillWatching in
            engine.onLoop { $0.wallClockChanged(change, stillWatching: stillWatching) }
        }
        await engine.watchWallClock(await clockWatcher.start())

        let endpoint: SocketServer<EventLoopClock>.Endpoint =
            activated.map { .activated(fd: $0, path: options.socketPath) } ?? .path(options.socketPath)
        let served = OnceFlag()
        let server = SocketServer(
            endpoint: endpoint, engine: engine, logger: logger, limits: options.limits,
            onReady: {
                served.set()
                notifier.notify("READY=1")
                logger.notice("ready", metadata: ["socket": "\(options.socketPath)", "audio": "\(options.audioDevice)"])
            })
        await engine.observeStatusLine { line in notifier.notify("STATUS=\(line)") }

        let hangups = await Daemon.onSignal(SIGHUP) {
            Task {
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                _ = await engine.reload()
                notifier.notify("READY=1")
            }
        }
        defer { hangups.cancel() }

        var services: [any Service] = [server]
        if let interval = SystemdNotifier.watchdogInterval(environment: options.environment) {
            services.append(WatchdogService(interval: interval, clock: clock, notifier: notifier, engine: engine))
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        // SIGTERM and SIGINT are caught here, before the group binds the socket, not by
        // ServiceGroup's own `gracefulShutdownSignals`: those are installed as the group
        // starts, concurrently with the server, so under load a SIGTERM sent right after
        // the socket became ready could still meet the default action and kill the daemon
        // without a history line.
        // STOPPING=1 goes out as the stop begins, before any of the shutdown work, so
        // that systemd knows the exit that follows is the one it asked for.
        let stopping = OnceFlag()
        var stops: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            stops.append(
                await Daemon.onSignal(number) {
                    if stopping.set() { notifier.notify("STOPPING=1") }
                    Task { await group.triggerGracefulShutdown() }
                })
        }
        defer { stops.forEach { $0.cancel() } }
        do {
            try await group.run()
        } catch is CancellationError where stopping.isSet {
            // A service that ends its part of a stop by throwing its cancellation: still the
            // clean stop that was asked for (exit 0, not "Error: CancellationError()").
        } catch {
            // A daemon that never served (its socket taken, say) leaves the state as it
            // found it: a restored session stays saved for the daemon that will serve.
            await clockWatcher.stop()
            if served.isSet { await engine.shutdown() }
            player.shutdown()
            throw error
        }
        if stopping.set() { notifier.notify("STOPPING=1") }
        await clockWatcher.stop()
        await engine.shutdown()
        player.shutdown()
        logger.notice("stopped")
    }
}

extension Daemon {
    /// Runs `handler` on the main queue each time `number` arrives; the signal's default
    /// action is ignored from now on. The main queue, because GuidedMain's thread serves it
    /// (dispatchMain): no global-queue worker starts — the first one would start
    /// libdispatch's once-a-second workqueue monitor for good — and nothing runs until a
    /// signal comes.
    ///
    /// Returns once the source is registered. libdispatch registers it later, on its
    /// manager thread, and only then installs the handler that forwards the signal to the
    /// source; until then the signal is ignored (SIG_IGN, set here) and lost. Under load
    /// that was after the socket accepted, and a SIGTERM sent the moment it did was
    /// dropped: the daemon never stopped (the "SIGTERM the moment the socket accepts" test
    /// failed about one run in six on a busy machine).
    static func onSignal(_ number: Int32, _ handler: @escaping @Sendable () -> Void) async -> any DispatchSourceSignal {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
        signal(number, SIG_IGN)
        source.setEventHandler(handler: handler)
        await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
            source.setRegistrationHandler { registered.resume() }
            source.resume()
        }
        return source
    }
}

/// Lets the player's status callback reach an engine created after it.
final class EngineBox: @unchecked Sendable {
    // Written once before any callback can fire, read-only afterwards.
    var engine: Engine<EventLoopClock>?
}
