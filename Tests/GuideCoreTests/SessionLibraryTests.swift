import Foundation
import Testing
@testable import GuideCore

/// Loading the search path: precedence, what is ignored, what is reported, the odd files
/// a real directory holds (links, FIFOs, huge files) and reload semantics (docs/session-format.md, "Reloading").
@Suite struct SessionLibraryTests {
    private let nameRule = "(use 1–64 lowercase letters, digits and '-', starting with a letter or digit); rename the file"

    @Test func loadsEveryJSONFileAndIgnoresTheRest() throws {
        let dir = try TemporaryDirectory()
        try dir.write("cooldown.json", sessionJSON(title: "Cooldown"))
        try dir.write("posture.json", sessionJSON(title: "Posture"))
        try dir.write(".hidden.json", "not even JSON")
        try dir.write(".#cooldown.json", "an editor's lock file")
        try dir.write("notes.txt", "not a session")
        try dir.write("cooldown.json~", "a backup")
        try dir.write("session.schema.json", #"{"$schema": "https://json-schema.org/draft/2020-12/schema"}"#)
        try dir.write("nested/inner.json", sessionJSON(title: "Not loaded: directories are not recursed"))

        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.errors == [])
        #expect(library.names == ["cooldown", "posture"])
        #expect(library.session(named: "cooldown")?.session.title == "Cooldown")
        #expect(library.session(named: "cooldown")?.path == dir.path + "/cooldown.json")
        #expect(library.session(named: "inner") == nil)
    }

    @Test func anEarlierDirectoryWinsByName() throws {
        let mine = try TemporaryDirectory(), bundled = try TemporaryDirectory()
        try mine.write("cooldown.json", sessionJSON(title: "My cooldown"))
        try bundled.write("cooldown.json", sessionJSON(title: "Bundled cooldown"))
        try bundled.write("massage.json", sessionJSON(title: "Massage"))

        let library = SessionLibrary.load(directories: [mine.path, bundled.path])
        #expect(library.errors == [])
        #expect(library.names == ["cooldown", "massage"])
        #expect(library.session(named: "cooldown")?.session.title == "My cooldown")
        #expect(library.session(named: "cooldown")?.path == mine.path + "/cooldown.json")
        #expect(library.session(named: "massage")?.path == bundled.path + "/massage.json")

        let reversed = SessionLibrary.load(directories: [bundled.path, mine.path])
        #expect(reversed.session(named: "cooldown")?.session.title == "Bundled cooldown")
    }

    @Test func aBadFileIsReportedAndSkipped() throws {
        let dir = try TemporaryDirectory()
        try dir.write("good.json", sessionJSON(title: "Good"))
        try dir.write("broken.json", sessionJSON(title: "Broken", duration: #""90""#))
        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.names == ["good"])
        #expect(
            library.errors == [
                LibraryError(
                    path: dir.path + "/broken.json", name: "broken",
                    message: #"broken.json: steps[0].duration: "90" is not a duration (use 90, "90s" or "1m30s")"#)
            ])
    }

    @Test func aBrokenFileStillHoldsItsNameAgainstLaterDirectories() throws {
        let mine = try TemporaryDirectory(), bundled = try TemporaryDirectory()
        try mine.write("cooldown.json", "{")
        try bundled.write("cooldown.json", sessionJSON(title: "Bundled"))
        let library = SessionLibrary.load(directories: [mine.path, bundled.path])
        #expect(library.session(named: "cooldown") == nil)
        #expect(library.errors.map(\.message) == ["cooldown.json: line 1, column 2: unexpected end of input, expected a quoted field name"])
    }

    @Test func invalidNamesAreReportedWithoutBeingOpened() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Cool Down.json", sessionJSON(title: "Spaces"))
        // A FIFO would block a reader forever: proof that the file is never opened.
        #expect(mkfifo(dir.path + "/UPPER.json", 0o644) == 0)
        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.sessions.isEmpty)
        #expect(
            library.errors == [
                LibraryError(path: dir.path + "/Cool Down.json", name: nil, message: #"Cool Down.json: "Cool Down" is not a valid session name \#(nameRule)"#),
                LibraryError(path: dir.path + "/UPPER.json", name: nil, message: #"UPPER.json: "UPPER" is not a valid session name \#(nameRule)"#),
            ])
    }

    @Test func anOversizedFileIsRejectedWithItsSize() throws {
        let dir = try TemporaryDirectory()
        let valid = Array(sessionJSON(title: "Padded").utf8)
        let padding = [UInt8](repeating: UInt8(ascii: "\n"), count: Session.maximumFileSize - valid.count)
        try dir.write("exactly.json", bytes: valid + padding)
        try dir.write("big.json", bytes: valid + padding + [UInt8(ascii: "\n")])

        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.names == ["exactly"])
        #expect(library.errors.map(\.message) == ["big.json: file is 1048577 bytes; a session file may be at most 1 MiB (1048576 bytes)"])
    }

    @Test func aSparseHugeFileIsRejectedWithoutReadingIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/huge.json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 8 << 30) == 0)  // 8 GiB of holes: reading it whole would take long and fail
        #expect(throws: SessionError(file: "huge.json", location: "", message: "file is 8589934592 bytes; a session file may be at most 1 MiB (1048576 bytes)")) {
            try SessionFile.read(path: path)
        }
    }

    @Test func symlinksToRegularFilesAreFollowed() throws {
        let dir = try TemporaryDirectory(), elsewhere = try TemporaryDirectory()
        let target = try elsewhere.write("original.json", sessionJSON(title: "Linked"))
        try dir.symlink("linked.json", to: target)
        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.errors == [])
        #expect(library.names == ["linked"])
        #expect(library.session(named: "linked")?.session.name == "linked")
        #expect(library.session(named: "linked")?.path == dir.path + "/linked.json")
    }

    @Test func directoriesAndLinksToThemAreReported() throws {
        let dir = try TemporaryDirectory(), later = try TemporaryDirectory()
        let target = try dir.makeDirectory("real-dir")
        try dir.symlink("to-dir.json", to: target)
        try dir.makeDirectory("folder.json")
        try later.write("folder.json", sessionJSON(title: "Shadowed by the folder"))
        let library = SessionLibrary.load(directories: [dir.path, later.path])
        #expect(library.sessions.isEmpty)
        #expect(
            library.errors.map(\.message) == [
                "folder.json: is a directory, not a session file",
                "to-dir.json: is a directory, not a session file",
            ])
    }

    @Test func aDanglingLinkIsReportedAndTreatedAsAbsent() throws {
        let dir = try TemporaryDirectory(), later = try TemporaryDirectory()
        try dir.symlink("cooldown.json", to: dir.path + "/nowhere.json")
        try later.write("cooldown.json", sessionJSON(title: "Bundled"))
        let library = SessionLibrary.load(directories: [dir.path, later.path])
        #expect(library.session(named: "cooldown")?.session.title == "Bundled")
        #expect(library.errors.map(\.message) == ["cooldown.json: is a symbolic link to a missing file"])
    }

    @Test func aFIFOIsReportedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        #expect(mkfifo(dir.path + "/pipe.json", 0o644) == 0)
        let library = SessionLibrary.load(directories: [dir.path])
        #expect(library.errors.map(\.message) == ["pipe.json: is not a regular file (a session file must be a plain file)"])
    }

    @Test func aMissingFileIsAnErrorNotACrash() {
        let path = "/nonexistent-guide-test/cooldown.json"
        #expect(throws: SessionError(file: "cooldown.json", location: "", message: "does not exist")) {
            try SessionFile.read(path: path)
        }
    }

    @Test func theNameIsCheckedBeforeTheFileIsOpened() {
        #expect(throws: SessionError(file: "My Session.json", location: "", message: #""My Session" is not a valid session name \#(nameRule)"#)) {
            try SessionFile.read(path: "/nonexistent-guide-test/My Session.json")
        }
    }

    @Test func missingDirectoriesAreSkippedSilently() throws {
        let dir = try TemporaryDirectory()
        try dir.write("cooldown.json", sessionJSON(title: "Cooldown"))
        let library = SessionLibrary.load(directories: ["/nonexistent-guide-test/sessions", dir.path + "/not-yet", dir.path])
        #expect(library.errors == [])
        #expect(library.names == ["cooldown"])
    }

    @Test func aFileInPlaceOfADirectoryIsReported() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("sessions", "a file")
        let library = SessionLibrary.load(directories: [file])
        #expect(library.errors == [LibraryError(path: file, name: nil, message: "\(file): cannot read the directory: Not a directory")])
    }

    @Test(.enabled(if: geteuid() != 0, "root reads a mode-000 directory anyway"))
    func anUnreadableDirectoryIsReported() throws {
        let dir = try TemporaryDirectory()
        let locked = try dir.makeDirectory("locked")
        try dir.write("locked/cooldown.json", sessionJSON(title: "Hidden"))
        #expect(chmod(locked, 0) == 0)
        defer { chmod(locked, 0o755) }
        let library = SessionLibrary.load(directories: [locked])
        #expect(library.sessions.isEmpty)
        #expect(library.errors == [LibraryError(path: locked, name: nil, message: "\(locked): cannot read the directory: Permission denied")])
    }

    // MARK: - Reload

    @Test func reloadKeepsThePreviousVersionOfABrokenFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("cooldown.json", sessionJSON(title: "Version 1"))
        let first = SessionLibrary.load(directories: [dir.path])

        try dir.write("cooldown.json", #"{"title": "Version 2", "steps": [}"#)
        let second = first.reloaded(directories: [dir.path])
        #expect(second.session(named: "cooldown")?.session.title == "Version 1")
        #expect(second.errors.count == 1)
        #expect(second.errors.first?.message == "cooldown.json: line 1, column 34: unexpected '}', expected a value")
        #expect(second.errors.first?.keptPreviousVersion == true)

        // Still broken on the next reload: still the first version.
        let third = second.reloaded(directories: [dir.path])
        #expect(third.session(named: "cooldown")?.session.title == "Version 1")

        try dir.write("cooldown.json", sessionJSON(title: "Version 3"))
        let fixed = third.reloaded(directories: [dir.path])
        #expect(fixed.session(named: "cooldown")?.session.title == "Version 3")
        #expect(fixed.errors == [])
    }

    @Test func aNewBrokenFileHasNoPreviousVersion() throws {
        let dir = try TemporaryDirectory()
        let first = SessionLibrary.load(directories: [dir.path])
        try dir.write("new.json", "[]")
        let second = first.reloaded(directories: [dir.path])
        #expect(second.sessions.isEmpty)
        #expect(second.errors.map(\.keptPreviousVersion) == [false])
    }

    @Test func reloadDropsARemovedFileAndUncoversAShadowedOne() throws {
        let mine = try TemporaryDirectory(), bundled = try TemporaryDirectory()
        try mine.write("cooldown.json", sessionJSON(title: "Mine"))
        try mine.write("extra.json", sessionJSON(title: "Extra"))
        try bundled.write("cooldown.json", sessionJSON(title: "Bundled"))
        let first = SessionLibrary.load(directories: [mine.path, bundled.path])
        #expect(first.names == ["cooldown", "extra"])

        try mine.remove("cooldown.json")
        try mine.remove("extra.json")
        try mine.write("added.json", sessionJSON(title: "Added"))
        let second = first.reloaded(directories: [mine.path, bundled.path])
        #expect(second.errors == [])
        #expect(second.names == ["added", "cooldown"])
        #expect(second.session(named: "cooldown")?.session.title == "Bundled")
    }
}
