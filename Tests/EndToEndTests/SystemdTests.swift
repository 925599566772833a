import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// guided as a systemd user service: notifications, socket activation, the unit files.
@Suite("guided under systemd")
struct SystemdTests {
    @Test("notifies READY, STATUS changes, RELOADING/READY on SIGHUP and STOPPING, in order")
    func notifications() throws {
        let probe = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        let listener = try NotifyListener(path: probe.root + "/notify.sock")
        let daemon = try DaemonFixture(
            sessions: ["quick": TestSessions.quick], environment: ["NOTIFY_SOCKET": listener.path])
        try daemon.start()
        var messages = listener.messages(until: { $0.contains("READY=1") })
        #expect(messages.contains("READY=1"))
        #expect(messages.contains("STATUS=idle"))

        _ = try daemon.request(.start, session: "quick")
        messages = listener.messages(until: { $0 == "STATUS=quick 2/3 Twist (left)" })
        #expect(messages.first == "STATUS=quick 1/3 Reach")
        #expect(messages.last == "STATUS=quick 2/3 Twist (left)")
        _ = try daemon.request(.pause)
        #expect(listener.next() == "STATUS=quick paused 2/3 Twist (left)")

        daemon.signal(SIGHUP)
        let reloading = try #require(listener.next())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        let usec = Int64(reloading.split(separator: "=").last ?? "")
        #expect(usec != nil && usec! > 0)
        #expect(listener.next() == "READY=1")

        _ = try daemon.request(.stop)
        #expect(listener.next() == "STATUS=idle")
        daemon.signal(SIGTERM)
        #expect(listener.messages(until: { $0 == "STOPPING=1" }).last == "STOPPING=1")
        #expect(try daemon.waitForExit() == 0)
    }

    @Test("with a watchdog set, SIGTERM sends STOPPING=1 and exits 0 (systemctl stop leaves the unit inactive, not failed)")
    func stopWithWatchdog() throws {
        let probe = try DaemonFixture()
        let listener = try NotifyListener(path: probe.root + "/notify.sock")
        let daemon = try DaemonFixture(
            sessions: ["long": TestSessions.long], environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        try daemon.start()
        #expect(listener.messages(until: { $0.contains("READY=1") }).contains("READY=1"))
        _ = try daemon.request(.start, session: "long")
        daemon.signal(SIGTERM)
        #expect(listener.messages(until: { $0 == "STOPPING=1" }).last == "STOPPING=1")
        #expect(try daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(!daemon.log.contains("Error"), "\(daemon.log)")
        #expect(daemon.historyLines.count == 1 && daemon.historyLines[0].contains(#""outcome":"abandoned""#), "\(daemon.historyLines)")
    }

    @Test("a notification socket that never reads (its queue full) never stalls the daemon")
    func notifyNeverBlocks() throws {
        let probe = try DaemonFixture()
        let listener = try NotifyListener(path: probe.root + "/notify.sock")  // never read below
        // Its queue is full (net.unix.max_dgram_qlen, 10 by default) before guided starts.
        #expect(listener.fill() > 0)
        let daemon = try DaemonFixture(
            sessions: ["long": TestSessions.long], environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"])
        try daemon.start()
        #expect(try daemon.request(.start, session: "long").ok)
        // READY=1, every STATUS= change and the watchdog's pings all meet the full queue.
        for i in 0..<10 {
            let reply = try daemon.request(i % 2 == 0 ? .skip : .back)
            #expect(reply.ok, "\(reply)")
        }
        #expect(try daemon.request(.version).ok)
        #expect(daemon.isRunning)
        withExtendedLifetime(listener) {}
    }

    @Test("sends WATCHDOG=1 at half the interval systemd asks for")
    func watchdog() throws {
        let probe = try DaemonFixture()
        let listener = try NotifyListener(path: probe.root + "/notify.sock")
        let daemon = try DaemonFixture(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        try daemon.start()
        let start = ContinuousClock.now
        let pings = listener.messages(until: { _ in false }, timeout: .milliseconds(1100)).filter { $0 == "WATCHDOG=1" }
        #expect(ContinuousClock.now - start >= .milliseconds(1000))
        #expect((4...7).contains(pings.count), "expected a ping every 200 ms, got \(pings.count)")
    }

    @Test("serves a socket passed by systemd-socket-activate")
    func socketActivation() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        try #require(FileManager.default.isExecutableFile(atPath: activate), "install systemd (systemd-socket-activate)")
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        let socketPath = daemon.root + "/activated.sock"
        let process = try ChildProcess(
            activate,
            [
                "-l", socketPath, "-E", "GUIDE_NO_CHECKOUT_SESSIONS=1", "-E", "XDG_STATE_HOME=\(daemon.root)/state",
                DaemonFixture.binary("guided"), "--sessions-dir", daemon.sessionsDirectory, "--audio-device", "null", "--socket", socketPath,
            ],
            environment: daemon.environment, stdout: .append(daemon.logPath), stderr: .append(daemon.logPath))
        defer { process.kill() }
        // systemd-socket-activate binds first and starts guided on the first connection.
        var connection: GuideConnection?
        let deadline = ContinuousClock.now + .seconds(10)
        while connection == nil, ContinuousClock.now < deadline {
            connection = try? GuideConnection(path: socketPath)
            if connection == nil { usleep(20_000) }
        }
        let client = try #require(connection)
        let reply = try client.send(Request(command: .list))
        #expect(reply.sessions?.map(\.name) == ["quick"])
        let started = try client.send(Request(command: .start, session: "quick"))
        #expect(started.status?.state == .running)
        #expect(daemon.log.contains("listening"), "\(daemon.log)")
    }

    @Test("guided refuses a passed descriptor that is not a listening Unix socket")
    func badActivationSocket() throws {
        let daemon = try DaemonFixture()
        // fd 3 will be a regular file (ChildProcess passes no descriptor from 3 up, so use a shell).
        let script = "exec 3<\(daemon.logPath); LISTEN_PID=$$ LISTEN_FDS=1 exec \(DaemonFixture.binary("guided")) --audio-device null --socket \(daemon.root)/x.sock"
        let result = try CommandResult.run("/bin/sh", ["-c", script], environment: daemon.environment, timeout: .seconds(10))
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a listening Unix stream socket"), "\(result.stderr)")
    }

    @Test("both unit files pass systemd-analyze verify")
    func unitsVerify() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "install systemd (systemd-analyze)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let fixture = try DaemonFixture()
        let units = fixture.root + "/units"
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        // As install.sh does: ExecStart points at the installed binary (here: the built one).
        let service = try String(contentsOfFile: root + "/systemd/guided.service", encoding: .utf8)
            .replacingOccurrences(of: "ExecStart=%h/.local/bin/guided", with: "ExecStart=\(DaemonFixture.binary("guided"))")
        try service.write(toFile: units + "/guided.service", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: root + "/systemd/guided.socket", toPath: units + "/guided.socket")
        let result = try CommandResult.run(
            analyze, ["verify", "--user", units + "/guided.socket", units + "/guided.service"],
            environment: fixture.environment, timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(service.contains("Type=notify"))
        #expect(service.contains("ExecReload=/bin/kill -HUP $MAINPID"))
    }
}
