import ArgumentParser
import Foundation
import GuideProtocol
import GuideTestSupport
import Testing

@testable import guidectl

/// guidectl's quick parser (``QuickParse``) must read a command line exactly as
/// ArgumentParser does, or leave it to ArgumentParser: the same command value, and the
/// same output, errors and exit status when run.
@Suite("guidectl quick parse")
struct QuickParseTests {
    /// Lines the quick parser takes.
    static let accepted: [[String]] = [
        ["status"], ["status", "--json"], ["status", "--format", "{step} {remaining}"], ["status", "--format={state}"],
        ["status", "--format", "{state}", "--format", "{session}"], ["status", "--json", "--json"],
        ["status", "--format=-x"], ["status", "--format=a=b"], ["status", "--format", "a=b"],
        ["--socket", "/tmp/x.sock", "status"], ["status", "--socket", "/tmp/x.sock"], ["status", "--socket=/tmp/x.sock"],
        ["--socket", "/tmp/a", "status", "--socket", "/tmp/b", "--json"], ["--socket=/tmp/a", "--socket", "/tmp/b", "status"],
        ["stop"], ["pause"], ["resume"], ["toggle"], ["skip"], ["back"], ["list"], ["reload"], ["version"],
        ["pause", "--socket", "/tmp/x.sock"], ["--socket", "/tmp/x.sock", "back"],
    ]

    /// Lines it leaves to ArgumentParser (help, errors, anything unusual).
    static let declined: [[String]] = [
        [], ["--help"], ["-h"], ["help"], ["help", "status"], ["--version"], ["status", "--help"], ["status", "-h"],
        ["status", "extra"], ["status", "status"], ["status", "--format"], ["status", "--format", "-x"],
        ["status", "--format", ""], ["status", "--format="], ["status", "--socket"], ["status", "--socket", "--json"],
        ["status", "--socket", "status"], ["--socket", "pause", "status"], ["status", "--json=true"], ["status", "--jsonn"],
        ["status", "--json", "--format", "{state}"], ["status", "--format", "{stepp}"], ["--json", "status"],
        ["status", "--", "--json"], ["status", "-j"], ["pause", "--json"], ["start", "cooldown"], ["show", "cooldown"],
        ["watch"], ["history"], ["validate", "x.json"], ["new", "x"], ["devices"], ["test-sound"], ["Status"],
        ["status", "--generate-completion-script", "bash"], ["--generate-completion-script"], ["--experimental-dump-help"],
    ]

    @Test("every accepted line gives the values ArgumentParser gives")
    func sameValues() throws {
        for line in Self.accepted {
            #expect(QuickParse.command(line[...]) != nil, "\(line)")
            let (name, words) = try #require(QuickParse.parse(line[...]), "\(line)")
            let full = try GuideCtl.parseAsRoot(line)
            #expect(Self.describe(name, words) == Self.describe(full), "\(line)")
        }
    }

    @Test("every other line is left to ArgumentParser")
    func declinesTheRest() {
        for line in Self.declined {
            #expect(QuickParse.command(line[...]) == nil, "\(line)")
        }
    }

    @Test("its table of names matches guidectl's commands")
    func namesMatch() throws {
        let names = Set(GuideCtl.configuration.subcommands.map { $0._commandName })
        #expect(Set(QuickParse.reservedWords) == names.union(["help"]))
        #expect(QuickParse.spec("help") == nil)
        for name in QuickParse.names {
            #expect(names.contains(name))
            #expect(QuickParse.spec(name) != nil)
        }
        // Every subcommand names itself: ArgumentParser never has to derive a name by reflection.
        for command in GuideCtl.configuration.subcommands {
            #expect(command.configuration.commandName != nil, "\(command)")
        }
    }

    /// The quick parser's reading, in the words of ``describe(_:)-(ParsableCommand)``.
    static func describe(_ name: String, _ words: QuickParse.Words) -> String {
        let socket = words.socket ?? "-"
        if name == "status" {
            return "status socket=\(socket) json=\(words.flag("json")) format=\(words.option("format") ?? "-")"
        }
        return "\(name) \(socket)"
    }

    /// The fields of a command parsed by ArgumentParser, for comparison.
    static func describe(_ command: any ParsableCommand) -> String {
        switch command {
        case let c as GuideCtl.Status: "status socket=\(c.global.socket ?? "-") json=\(c.json) format=\(c.format ?? "-")"
        case let c as GuideCtl.Stop: "stop \(c.global.socket ?? "-")"
        case let c as GuideCtl.Pause: "pause \(c.global.socket ?? "-")"
        case let c as GuideCtl.Resume: "resume \(c.global.socket ?? "-")"
        case let c as GuideCtl.Toggle: "toggle \(c.global.socket ?? "-")"
        case let c as GuideCtl.Skip: "skip \(c.global.socket ?? "-")"
        case let c as GuideCtl.Back: "back \(c.global.socket ?? "-")"
        case let c as GuideCtl.List: "list \(c.global.socket ?? "-")"
        case let c as GuideCtl.Reload: "reload \(c.global.socket ?? "-")"
        case let c as GuideCtl.Version: "version \(c.global.socket ?? "-")"
        default: "other \(type(of: command))"
        }
    }

    /// Runs `line` through the quick parser and through ArgumentParser alone
    /// (GUIDECTL_NO_QUICK_PARSE=1) with the daemon in the same state, and compares
    /// everything said; `m:ss` times may tick between the two runs and are masked.
    static func expectSame(
        _ daemon: DaemonFixture, _ line: [String], between reset: (() throws -> Void)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let quick = try daemon.guidectl(line)
        try reset?()
        let full = try daemon.guidectl(line, environment: ["GUIDECTL_NO_QUICK_PARSE": "1"])
        try reset?()
        func mask(_ text: String) -> String {
            text.replacingOccurrences(of: #"\d+:\d\d"#, with: "m:ss", options: .regularExpression)
                .replacingOccurrences(of: #"\d+\.\d+"#, with: "n.n", options: .regularExpression)
        }
        #expect(quick.status == full.status, "\(line)", sourceLocation: sourceLocation)
        #expect(mask(quick.stdout) == mask(full.stdout), "\(line)", sourceLocation: sourceLocation)
        #expect(quick.stderr == full.stderr, "\(line)", sourceLocation: sourceLocation)
    }

    @Test("both ways say the same, against a real daemon")
    func sameOutput() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        // No daemon yet: status and version never start one.
        for line in [["status"], ["status", "--json"], ["version"], ["status", "--socket", daemon.root + "/nowhere.sock"]] {
            try Self.expectSame(daemon, line)
        }
        try daemon.start()
        let idleLines = Self.accepted.filter { !$0.contains { $0.hasPrefix("/tmp/") || $0.hasPrefix("--socket=/tmp") } }
        for line in idleLines + Self.declined.filter({ ![["new", "x"], ["test-sound"], ["devices"], ["start", "cooldown"], ["watch"]].contains($0) }) {
            try Self.expectSame(daemon, line)
        }
        #expect(try daemon.guidectl(["start", "long"]).status == 0)
        for line in [["status"], ["status", "--json"], ["status", "--format", "{state} {step} {index}/{count} {progress}"], ["list"], ["version"]] {
            try Self.expectSame(daemon, line)
        }
        // The commands that change the session: each run from the same state.
        try Self.expectSame(daemon, ["pause"]) { _ = try daemon.request(.resume) }
        try Self.expectSame(daemon, ["toggle"]) { _ = try daemon.request(.resume) }
        try Self.expectSame(daemon, ["resume"])  // refused while running: exit 1 both ways
        try Self.expectSame(daemon, ["back"])
        try Self.expectSame(daemon, ["skip"]) { _ = try daemon.request(.back) }
        _ = try daemon.request(.pause)
        try Self.expectSame(daemon, ["status"])
        try Self.expectSame(daemon, ["pause"])  // refused while paused
        try Self.expectSame(daemon, ["resume"]) { _ = try daemon.request(.pause) }
        try Self.expectSame(daemon, ["reload"])
        try Self.expectSame(daemon, ["stop"]) { _ = try daemon.request(.start, session: "long") }
        _ = try daemon.request(.stop)
        try Self.expectSame(daemon, ["stop"])  // nothing running
        try Self.expectSame(daemon, ["status", "--socket", daemon.socketPath, "--format", "{state}"])
    }
}
