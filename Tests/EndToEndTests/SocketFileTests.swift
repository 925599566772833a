import Foundation
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 8: the listening socket is bound under its own name and made 0600
/// without the process-wide umask.
@Suite("guided's socket file")
struct SocketFileTests {
    /// The paths of the listening Unix sockets in /proc/net/unix (what `ss -xlp` shows).
    static func listeningPaths() -> [String] {
        // Read to the end: the file is longer than one read, and /proc reports its size as 0.
        let data = FileHandle(forReadingAtPath: "/proc/net/unix").map { $0.readDataToEndOfFile() } ?? Data()
        let table = String(decoding: data, as: UTF8.self)
        // Num RefCount Protocol Flags Type St Inode Path; flags 00010000 = __SO_ACCEPTCON (listening).
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 8, fields[3] == "00010000" else { return nil }
            return String(fields[7])
        }
    }

    @Test("ss -xlp shows the socket under its own name, mode 0600, also after it is re-created")
    func boundUnderItsName() throws {
        let daemon = try DaemonFixture()
        try daemon.start()
        #expect(Self.listeningPaths().contains(daemon.socketPath), "listening: \(Self.listeningPaths().filter { $0.hasPrefix(daemon.root) })")
        #expect(!Self.listeningPaths().contains { $0.hasPrefix(daemon.socketPath + ".") }, "no staging name")
        var info = stat()
        #expect(stat(daemon.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o600)

        unlink(daemon.socketPath)
        #expect(daemon.waitForLog("socket re-created"))
        #expect(try daemon.request(.status).ok)
        let ours = Self.listeningPaths().filter { $0.hasPrefix(daemon.root) }
        #expect(ours.allSatisfy { $0 == daemon.socketPath } && ours.contains(daemon.socketPath), "listening: \(ours)")
        #expect(stat(daemon.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("binding the socket never changes the process's umask (watched with strace while it is re-created)")
    func noUmask() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else {
            Issue.record("strace is missing: install it (apt-get install strace) to run this test")
            return
        }
        let daemon = try DaemonFixture()
        try daemon.start()
        let pid = try #require(daemon.process?.pid)
        let trace = daemon.root + "/strace.txt"
        let errors = daemon.root + "/strace.err"
        let strace = try ChildProcess(
            "/usr/bin/strace", ["-f", "-p", "\(pid)", "-e", "trace=umask,bind", "-o", trace], environment: [:], stderr: .file(errors))
        defer { strace.kill() }
        // strace says "Process N attached" for each thread once it is in place.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "").contains("attached") {
            usleep(10_000)
        }
        let attached = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        try #require(attached.contains("attached"), "strace could not attach to guided (ptrace not permitted?): \(attached)")

        unlink(daemon.socketPath)  // the daemon binds a new socket: the path under test
        #expect(daemon.waitForLog("socket re-created"))
        #expect(try daemon.request(.status).ok)
        // SIGKILL: the kernel detaches guided when its tracer dies, and strace has written
        // each line as it came.
        strace.kill()
        let calls = (try? String(contentsOfFile: trace, encoding: .utf8)) ?? ""
        #expect(calls.contains("bind("), "the re-creation was traced: \(calls)")
        #expect(!calls.contains("umask("), "umask was changed: \(calls)")
    }
}
