import Dispatch
import Foundation
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

        let activated = try SocketActivation.listeningSocket(environment: options.environment)
        let engineBox = EngineBox()
        let player = CuePlayer(
            device: options.audioDevice, volumeOverride: options.volume, logger: Logger(label: "guided.audio"),
            onStatusChange: { status in
                Task { await engineBox.engine?.audioChanged(status) }
            })
        let engine = Engine(
            clock: SuspendingClock(), directories: options.sessionDirectories, player: player, audioDevice: options.audioDevice,
            history: HistoryStore(path: options.stateDirectory + "/history.jsonl", logger: logger),
            snapshots: SnapshotStore(path: options.stateDirectory + "/running.json", logger: logger), logger: logger)
        engineBox.engine = engine
        await engine.restoreSnapshot()

        let endpoint: SocketServer<SuspendingClock>.Endpoint =
            activated.map { .activated(fd: $0, path: options.socketPath) } ?? .path(options.socketPath)
        let server = SocketServer(
            endpoint: endpoint, engine: engine, logger: logger,
            onReady: {
                notifier.notify("READY=1")
                logger.notice("ready", metadata: ["socket": "\(options.socketPath)", "audio": "\(options.audioDevice)"])
            })
        await engine.observeStatusLine { line in notifier.notify("STATUS=\(line)") }

        let hangups = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        signal(SIGHUP, SIG_IGN)
        hangups.setEventHandler {
            Task {
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                _ = await engine.reload()
                notifier.notify("READY=1")
            }
        }
        hangups.resume()

        var services: [any Service] = [server]
        if let interval = SystemdNotifier.watchdogInterval(environment: options.environment) {
            services.append(WatchdogService(interval: interval, notifier: notifier, engine: engine))
        }
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            hangups.cancel()
            await engine.shutdown()
            player.shutdown()
            throw error
        }
        notifier.notify("STOPPING=1")
        hangups.cancel()
        await engine.shutdown()
        player.shutdown()
        logger.notice("stopped")
    }
}

/// Lets the player's status callback reach an engine created after it.
final class EngineBox: @unchecked Sendable {
    // Written once before any callback can fire, read-only afterwards.
    var engine: Engine<SuspendingClock>?
}
