import Foundation
import GuideTestSupport
import Testing

extension Tag {
    /// Builds the release binaries and the Debian package, and installs it into the machine.
    @Tag static var debianPackage: Self
}

/// The man pages (man/): well-formed, and up to date with the commands.
@Suite("man pages")
struct ManPageTests {
    static let manDirectory = GuidectlTests.packageRoot + "/man"

    @Test("every page passes groff -man -z -ww without a warning", arguments: ["guidectl.1", "guided.1", "guide-session.5"])
    func groffIsQuiet(page: String) throws {
        let result = try CommandResult.run("/usr/bin/groff", ["-man", "-z", "-ww", Self.manDirectory + "/" + page], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "groff is missing or failed: \(result.stderr)")
        #expect(result.stderr.isEmpty, "\(page): \(result.stderr)")
    }

    /// Each subcommand and each option of `--experimental-dump-help` (what generate-manual
    /// reads) is in the checked-in page; a command changed since says: run
    /// packaging/generate-man.sh.
    @Test("the pages describe every subcommand and option the binaries have", arguments: ["guidectl", "guided"])
    func pagesAreCurrent(program: String) throws {
        let dump = try CommandResult.run(DaemonFixture.binary(program), ["--experimental-dump-help"], environment: [:])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let page = try String(contentsOfFile: Self.manDirectory + "/\(program).1", encoding: .utf8)
        var commands = [command]
        commands += (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        for sub in commands.dropFirst() {
            let name = sub["commandName"] as? String ?? ""
            #expect(page.contains(".It Em \(name)\n"), "man/\(program).1 lacks the subcommand \(name): run packaging/generate-man.sh")
        }
        for sub in commands {
            for argument in sub["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    let option = name["name"] as? String ?? ""
                    #expect(page.contains("Fl -\(option)"), "man/\(program).1 lacks --\(option): run packaging/generate-man.sh")
                }
            }
            if let abstract = sub["abstract"] as? String {
                #expect(page.contains(abstract), "man/\(program).1 has an old text for \(sub["commandName"] ?? program): run packaging/generate-man.sh")
            }
        }
    }
}

/// packaging/build-deb.sh: the package lintian accepts, installed into this machine with
/// dpkg, used from /usr/bin, and removed without a trace.
@Suite("Debian package", .serialized, .tags(.debianPackage))
struct DebianPackageTests {
    /// The tests' environment with the system's and the toolchain's binaries first on PATH.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:" + (environment["PATH"] ?? "")
        return environment
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) throws -> CommandResult {
        try CommandResult.run(executable, arguments, environment: environment, timeout: timeout)
    }

    /// ``run(_:_:timeout:)`` off the threads the tests share (see CommandResult.runAwaiting).
    static func runAwaiting(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> CommandResult {
        try await CommandResult.runAwaiting(executable, arguments, environment: environment, timeout: timeout)
    }

    @Test("builds, passes lintian, installs, runs from /usr/bin and uninstalls leaving nothing", .timeLimit(.minutes(60)))
    func packageLifecycle() async throws {
        let root = GuidectlTests.packageRoot
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("guide-deb-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // The release build as installed (its own build directory, .build-release: no
        // wait on this test's .build); incremental after the first time.
        let binaries = ProcessInfo.processInfo.environment["GUIDE_RELEASE_DIR"] ?? work + "/bin"
        if ProcessInfo.processInfo.environment["GUIDE_RELEASE_DIR"] == nil {
            // At the lowest CPU priority: a release build takes both cores for minutes, and
            // the timing tests running beside it must not starve.
            let built = try await Self.runAwaiting(
                "/usr/bin/nice", ["-n", "19", root + "/systemd/build-release.sh", binaries], timeout: .seconds(3000))
            try #require(built.status == 0, "systemd/build-release.sh failed: \(built.stderr.suffix(2000))")
        }
        let made = try await Self.runAwaiting(root + "/packaging/build-deb.sh", [work + "/out", binaries])
        try #require(made.status == 0, "packaging/build-deb.sh failed: \(made.stderr)")
        let deb = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("_amd64.deb") && deb.contains("/guide_"), "\(deb)")

        let lint = try await Self.runAwaiting("/usr/bin/lintian", ["--tag-display-limit", "0", deb], timeout: .seconds(600))
        let errors = lint.stdout.split(separator: "\n").filter { $0.hasPrefix("E:") }
        #expect(errors.isEmpty, "lintian: \(errors.joined(separator: "\n"))")

        let install = try Self.run("/usr/bin/dpkg", ["-i", deb])
        try #require(install.status == 0, "dpkg -i: \(install.stderr)")
        var removed = false
        defer { if !removed { _ = try? Self.run("/usr/bin/dpkg", ["-r", "guide"]) } }
        let listed = try Self.run("/usr/bin/dpkg", ["-L", "guide"]).stdout.split(separator: "\n").map(String.init)
        let files = listed.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        for expected in [
            "/usr/bin/guided", "/usr/bin/guidectl", "/usr/lib/systemd/user/guided.service", "/usr/lib/systemd/user/guided.socket",
            "/usr/share/guide/sessions/cooldown.json", "/usr/share/guide/sessions/session.schema.json",
            "/usr/share/man/man1/guidectl.1.gz", "/usr/share/man/man1/guided.1.gz", "/usr/share/man/man5/guide-session.5.gz",
            "/usr/share/bash-completion/completions/guidectl", "/usr/share/zsh/vendor-completions/_guidectl",
            "/usr/share/fish/vendor_completions.d/guidectl.fish", "/usr/share/doc/guide/copyright",
            "/usr/share/doc/guide/changelog.Debian.gz",
        ] {
            #expect(files.contains(expected), "the package lacks \(expected)")
        }

        // A fresh user: nothing of this checkout on the session path, no daemon.
        let home = work + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let user = [
            "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
            "XDG_STATE_HOME": home + "/.local/state", "XDG_RUNTIME_DIR": home + "/run", "PATH": "/usr/bin:/bin",
            "GUIDE_NO_CHECKOUT_SESSIONS": "1",
        ]
        let list = try CommandResult.run("/usr/bin/guidectl", ["list"], environment: user)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("cooldown"), "\(list.stdout)")
        let show = try CommandResult.run("/usr/bin/guidectl", ["show", "cooldown"], environment: user)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Caution: "), "\(show.stdout)")

        let remove = try Self.run("/usr/bin/dpkg", ["-r", "guide"])
        removed = remove.status == 0
        #expect(remove.status == 0, "dpkg -r: \(remove.stderr)")
        for file in files {
            #expect(!FileManager.default.fileExists(atPath: file), "\(file) is left behind")
        }
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/guide"), "/usr/share/guide is left behind")
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/doc/guide"))
    }
}
