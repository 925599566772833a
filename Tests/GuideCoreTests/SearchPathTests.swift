import Foundation
import Testing
@testable import GuideCore

/// The order of docs/session-format.md ("Search path"), built from values so that no real home directory is involved.
@Suite struct SearchPathTests {
    @Test func followsTheDesignOrderWithEverythingSet() {
        let dirs = SearchPath.directories(
            flags: [],
            environment: [
                "GUIDE_SESSIONS_PATH": "/p1::/p2:", "HOME": "/home/ann", "XDG_CONFIG_HOME": "/cfg",
                "XDG_DATA_HOME": "/data", "XDG_DATA_DIRS": "/opt/share::/usr/share",
            ],
            executableDirectory: "/opt/guide/bin", sourceCheckoutSessions: "/src/guide/Sessions")
        #expect(
            dirs == [
                "/p1", "/p2", "/cfg/guide/sessions", "/data/guide/sessions", "/opt/share/guide/sessions",
                "/usr/share/guide/sessions", "/opt/guide/share/guide/sessions", "/src/guide/Sessions",
            ])
    }

    @Test func flagsReplaceTheEnvironmentList() {
        let dirs = SearchPath.directories(
            flags: ["/a", "rel/dir"], environment: ["GUIDE_SESSIONS_PATH": "/ignored", "HOME": "/h"],
            executableDirectory: nil, sourceCheckoutSessions: nil)
        #expect(
            dirs == [
                "/a", "rel/dir", "/h/.config/guide/sessions", "/h/.local/share/guide/sessions",
                "/usr/local/share/guide/sessions", "/usr/share/guide/sessions",
            ])
    }

    @Test func defaultsComeFromHomeAndIgnoreRelativeXDGValues() {
        let dirs = SearchPath.directories(
            flags: [], environment: ["HOME": "/home/bo", "XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": "", "XDG_DATA_DIRS": "also/relative"],
            executableDirectory: "/usr/bin", sourceCheckoutSessions: nil)
        // /usr/bin/../share is /usr/share, already in the list: not repeated.
        #expect(
            dirs == [
                "/home/bo/.config/guide/sessions", "/home/bo/.local/share/guide/sessions",
                "/usr/local/share/guide/sessions", "/usr/share/guide/sessions",
            ])
    }

    @Test func withoutHomeTheUserEntriesAreLeftOut() {
        let dirs = SearchPath.directories(flags: [], environment: [:], executableDirectory: "/", sourceCheckoutSessions: nil)
        #expect(dirs == ["/usr/local/share/guide/sessions", "/usr/share/guide/sessions", "/share/guide/sessions"])
    }

    @Test func duplicatesAreDroppedAfterTidyingSlashes() {
        let dirs = SearchPath.directories(
            flags: ["/x/", "//x", "/home/c/.config/guide/sessions/"], environment: ["HOME": "/home/c/"],
            executableDirectory: "/usr/local/bin/", sourceCheckoutSessions: "/x")
        #expect(
            dirs == [
                "/x", "/home/c/.config/guide/sessions", "/home/c/.local/share/guide/sessions",
                "/usr/local/share/guide/sessions", "/usr/share/guide/sessions",
            ])
    }

    @Test func findsTheSessionsOfASourceCheckout() throws {
        let root = try TemporaryDirectory()
        try root.write("Package.swift", "// swift-tools-version: 6.1")
        try root.makeDirectory("Sessions")
        let bin = try root.makeDirectory(".build/x86_64-unknown-linux-gnu/debug")
        #expect(SearchPath.sourceCheckoutSessions(executableDirectory: bin) == root.path + "/Sessions")
        #expect(SearchPath.sourceCheckoutSessions(executableDirectory: root.path) == root.path + "/Sessions")
        #expect(SearchPath.sourceCheckoutSessions(executableDirectory: bin, levels: 1) == nil)
    }

    @Test func needsBothPackageSwiftAndASessionsDirectory() throws {
        let onlyPackage = try TemporaryDirectory()
        try onlyPackage.write("Package.swift", "")
        try onlyPackage.write("Sessions", "a file, not a directory")
        #expect(SearchPath.sourceCheckoutSessions(executableDirectory: try onlyPackage.makeDirectory("bin")) == nil)

        let onlySessions = try TemporaryDirectory()
        try onlySessions.makeDirectory("Sessions")
        #expect(SearchPath.sourceCheckoutSessions(executableDirectory: try onlySessions.makeDirectory("bin")) == nil)
    }

    @Test func thisPackageIsFoundFromItsBuildDirectory() throws {
        let exe = try #require(SearchPath.currentExecutableDirectory())
        #expect(exe.hasPrefix("/"))
        #expect(FileManager.default.fileExists(atPath: exe))
        // The test binary lives under <package>/.build…/, so the walk finds our Sessions/.
        if exe.hasPrefix(Fixtures.packageRoot + "/") {
            #expect(SearchPath.sourceCheckoutSessions(executableDirectory: exe) == Fixtures.sessionsDirectory)
        }
    }
}
