import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 7, item 4: hostile names and files. Each gets a clear error or works; none
/// crashes, hangs, or makes the daemon read (or hold) more than a session's 1 MiB.
@Suite("guided and bad session files")
struct HardeningFilesTests {
    @Test("names with .., /, NUL or other bytes are refused before any path is built", arguments: [
        "../x", "..", "a/b", "/etc/passwd", "x\u{0}y", "x.json", "Cool", " x", "-x", String(repeating: "a", count: 65),
    ])
    func invalidNames(name: String) throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        // A file the bad name would reach if it were used as a path.
        _ = FileManager.default.createFile(atPath: daemon.root + "/x.json", contents: Data(TestSessions.quick.utf8))
        try daemon.start()
        for command in [Command.start, .show] {
            let reply = try daemon.request(command, session: name)
            #expect(reply.error?.code == .invalidName, "\(command) \(name.debugDescription): \(reply)")
        }
        #expect(try daemon.request(.status).status?.state == .idle)
    }

    @Test("symlinks are followed only to regular files; directories, devices, FIFOs and dangling links are reported")
    func symlinksAndSpecialFiles() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        let dir = daemon.sessionsDirectory
        let fm = FileManager.default
        _ = fm.createFile(atPath: daemon.root + "/elsewhere.json", contents: Data(TestSessions.quick.utf8))
        try fm.createSymbolicLink(atPath: dir + "/linked.json", withDestinationPath: daemon.root + "/elsewhere.json")
        try fm.createDirectory(atPath: daemon.root + "/a-dir", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: dir + "/to-dir.json", withDestinationPath: daemon.root + "/a-dir")
        try fm.createSymbolicLink(atPath: dir + "/to-zero.json", withDestinationPath: "/dev/zero")
        try fm.createSymbolicLink(atPath: dir + "/dangling.json", withDestinationPath: daemon.root + "/gone.json")
        #expect(mkfifo(dir + "/fifo.json", 0o600) == 0)
        try daemon.start()

        let list = try daemon.request(.list)
        #expect(list.sessions?.map(\.name).sorted() == ["linked", "quick"])
        let errors = Dictionary(uniqueKeysWithValues: (list.errors ?? []).map { (($0.file as NSString).lastPathComponent, $0.message) })
        #expect(errors["to-dir.json"]?.contains("is a directory") == true, "\(errors)")
        #expect(errors["to-zero.json"]?.contains("not a regular file") == true, "\(errors)")
        #expect(errors["fifo.json"]?.contains("not a regular file") == true, "\(errors)")
        #expect(errors["dangling.json"]?.contains("missing file") == true, "\(errors)")
        #expect(try daemon.request(.start, session: "linked").ok)
    }

    @Test("an unreadable session directory is reported", .enabled(if: geteuid() != 0, "root reads every directory"))
    func unreadableDirectory() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        chmod(daemon.sessionsDirectory, 0o000)
        defer { chmod(daemon.sessionsDirectory, 0o700) }
        try daemon.start()
        let list = try daemon.request(.list)
        #expect(list.errors?.contains { $0.message.contains("cannot read the directory") } == true)
    }

    @Test("a file deleted after it was listed disappears on reload; nothing breaks")
    func deletedFile() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick, "other": TestSessions.quick])
        try daemon.start()
        // Listing-then-reading is one pass in SessionLibrary; a file gone by the time it is
        // opened takes the same path as a dangling link (ENOENT: absent, not broken).
        try FileManager.default.removeItem(atPath: daemon.sessionsDirectory + "/other.json")
        let reloaded = try daemon.request(.reload)
        #expect(reloaded.sessions?.map(\.name) == ["quick"])
        #expect(reloaded.errors?.isEmpty == true)
        #expect(try daemon.request(.start, session: "other").error?.code == .unknownSession)
    }

    @Test("a 100 MB file is refused at once, without being read")
    func hugeFile() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        let baseline = try #require(daemon.residentKiB)
        // Real bytes, not a sparse file: reading it would cost real time and memory.
        let path = daemon.sessionsDirectory + "/huge.json"
        let chunk = Data(repeating: 0x20, count: 1 << 20)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<100 { handle.write(chunk) }
        try handle.close()

        let began = ContinuousClock.now
        let reloaded = try daemon.request(.reload)
        let took = ContinuousClock.now - began
        let message = reloaded.errors?.first { $0.file.hasSuffix("huge.json") }?.message ?? ""
        #expect(message.contains("104857600 bytes") && message.contains("at most 1 MiB"), "\(message)")
        #expect(took < .milliseconds(100), "reload took \(took)")
        let after = try #require(daemon.residentKiB)
        #expect(after - baseline < 8 * 1024, "RSS \(baseline) → \(after) KiB")
        print("100 MB file: refused in \(took), RSS \(baseline) → \(after) KiB")
    }

    @Test("JSON nested 10,000 levels deep gets a clear error")
    func deepNesting() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        let depth = 10_000
        let text = #"{"title": "Deep", "steps": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        try daemon.writeSession("deep", text)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        try daemon.writeSession("deeper", objects)
        try daemon.start()
        let list = try daemon.request(.list)
        for name in ["deep.json", "deeper.json"] {
            let message = list.errors?.first { $0.file.hasSuffix(name) }?.message ?? ""
            #expect(message.hasPrefix(name) && message.contains("nested deeper than"), "\(message)")
        }
        #expect(try daemon.request(.status).ok)
    }

    @Test("500 steps of 1 s each: start, status, skip, show all work")
    func fiveHundredSteps() throws {
        let steps = (1...500).map { #"{"name": "Step \#($0)", "duration": 1}"# }.joined(separator: ",")
        let daemon = try DaemonFixture(sessions: ["many": #"{"title": "Many", "steps": [\#(steps)]}"#])
        try daemon.start()
        let started = try daemon.request(.start, session: "many")
        #expect(started.ok)
        #expect(started.status?.step?.count == 500)
        #expect(started.status?.total == 500)
        let connection = try daemon.connect()
        for _ in 0..<5 { #expect(try connection.send(Request(command: .skip)).ok) }
        let status = try #require(try connection.send(Request(command: .status)).status)
        #expect(status.state == .running && (status.step?.index ?? 0) >= 6)
        // `show` of 500 steps is a reply line of ~90 KB: requests are capped at 64 KiB, replies
        // are not, and the client reads them whole.
        let show = try daemon.request(.show, session: "many")
        #expect(show.session?.steps.count == 500)
        #expect(show.session?.timeline.count == 500)
        #expect(try daemon.request(.status).status?.state == .running)
    }
}
