import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Signals, reload and the socket file.
@Suite("guided life")
struct DaemonLifeTests {
    @Test("SIGHUP reloads; a file that breaks keeps its previous version and is reported")
    func reloadKeepsPreviousVersion() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        try daemon.writeSession("quick", #"{"title": "Quick", "steps": [{"name": "Reach", "duraton": 2}]}"#)
        try daemon.writeSession("extra", #"{"title": "Extra", "steps": [{"name": "One", "duration": 5}]}"#)
        daemon.signal(SIGHUP)
        let reloaded = try SubscriptionTests.events(on: watcher, until: .reloaded, timeout: .seconds(10))
        #expect(reloaded.last?.event == .reloaded)
        let list = try daemon.request(.list)
        #expect(list.sessions?.map(\.name) == ["extra", "quick"])
        #expect(list.sessions?.first { $0.name == "quick" }?.total == 8, "the old version of quick stays")
        let error = try #require(list.errors?.first)
        #expect(error.message.contains("quick.json: steps[0].duraton: unknown field"))
        let show = try daemon.request(.show, session: "quick")
        #expect(show.session?.steps.count == 3)
    }

    @Test("the reload command answers with the new list")
    func reloadCommand() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        try FileManager.default.removeItem(atPath: daemon.sessionsDirectory + "/quick.json")
        let reply = try daemon.request(.reload)
        #expect(reply.ok)
        #expect(reply.sessions == [])
    }

    @Test("SIGTERM stops cleanly: no socket file left, a running session is recorded")
    func sigterm() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        _ = try daemon.request(.start, session: "long")
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.historyLines.count == 1)
        #expect(daemon.historyLines.first?.contains(#""outcome":"abandoned""#) == true)
    }

    @Test("SIGTERM the moment the socket accepts still stops cleanly, every time")
    func sigtermRightAfterReady() throws {
        // The signal handlers are in place before the socket is bound; a SIGTERM that met
        // the default action would end the daemon with the signal instead of status 0.
        for _ in 0..<5 {
            let daemon = try DaemonFixture()
            try daemon.start()
            daemon.signal(SIGTERM)
            #expect(try daemon.waitForExit() == 0)
            #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        }
    }

    @Test("the socket is private: directory 0700, socket 0600")
    func permissions() throws {
        let daemon = try DaemonFixture()
        try daemon.start()
        var info = stat()
        #expect(stat(daemon.socketPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat((daemon.socketPath as NSString).deletingLastPathComponent, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test("the socket is 0600 from the moment it appears, not only once the daemon settles")
    func permissionsFromTheStart() throws {
        // Watched with lstat in a tight loop while guided starts: a socket chmod-ed after
        // bind shows up as 0700 for a moment, and a client could connect in that moment.
        for _ in 0..<5 {
            let daemon = try DaemonFixture()
            try daemon.start(waitingUntilReady: false)
            let deadline = ContinuousClock.now + .seconds(10)
            var info = stat()
            while lstat(daemon.socketPath, &info) != 0, ContinuousClock.now < deadline {}
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o777 == 0o600, "first seen as \(String(info.st_mode & 0o777, radix: 8))")
            try daemon.waitUntilReady()
        }
    }

    @Test("socket paths of 99 and 103 bytes: 0600, with or without room for the staging name", arguments: [99, 103])
    func longSocketPath(length: Int) throws {
        // guided binds PATH.new and renames it into place; from 100 bytes on PATH.new is
        // over the 103 bytes a socket path may have, and the socket is bound in place.
        let fixture = try DaemonFixture()
        var directory = fixture.root + "/run"
        while directory.utf8.count < length - 12 { directory += "/d" }
        let path = directory + "/" + String(repeating: "s", count: length - directory.utf8.count - 1)
        #expect(path.utf8.count == length)
        let process = try ChildProcess(
            DaemonFixture.binary("guided"), ["--socket", path, "--audio-device", "null"], environment: fixture.environment,
            stderr: .append(fixture.logPath))
        let deadline = ContinuousClock.now + .seconds(10)
        while (try? GuideConnection(path: path)) == nil, ContinuousClock.now < deadline { usleep(10_000) }
        let connection = try #require(try? GuideConnection(path: path), "guided did not start: \(fixture.log)")
        #expect(try connection.send(Request(command: .status)).ok)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(!FileManager.default.fileExists(atPath: path + ".new"))
        process.signal(SIGTERM)
        #expect(process.wait(timeout: .seconds(10)))
        #expect(process.exitStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a socket path over 103 bytes is refused with the limit, by guided and by guidectl")
    func socketPathTooLong() throws {
        let fixture = try DaemonFixture()
        let path = "/tmp/" + String(repeating: "s", count: 99)  // 104 bytes
        let daemon = try CommandResult.run(
            DaemonFixture.binary("guided"), ["--socket", path, "--audio-device", "null"], environment: fixture.environment,
            timeout: .seconds(10))
        #expect(daemon.status != 0)
        #expect(daemon.stderr.contains("socket path is 104 bytes long; Unix sockets allow at most 103 (choose a shorter --socket)"))
        let client = try fixture.guidectl(["status", "--socket", path])
        #expect(client.status != 0)
        #expect(client.stderr.contains("at most 103"))
    }

    @Test("a second daemon on the same socket is refused with a clear message; a stale socket is replaced")
    func secondDaemon() throws {
        let daemon = try DaemonFixture()
        try daemon.start()
        // A state directory of its own: on the same one, the state lock refuses it first (StateLockTests).
        var environment = daemon.environment
        environment["XDG_STATE_HOME"] = daemon.root + "/second-state"
        let second = try CommandResult.run(
            DaemonFixture.binary("guided"), ["--socket", daemon.socketPath, "--audio-device", "null"], environment: environment,
            timeout: .seconds(10))
        #expect(second.status == 1)
        #expect(second.stderr.contains("another guided is already running on \(daemon.socketPath)"))
        #expect(try daemon.request(.status).ok, "the first daemon is unharmed")

        daemon.signal(SIGKILL)
        try daemon.waitForExit()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath), "kill -9 leaves a stale socket")
        try daemon.start()
        #expect(try daemon.request(.status).ok)
    }
}
