import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// `guidectl new NAME [--from SESSION] [--force]`: a session file of one's own.
@Suite("guidectl new")
struct NewSessionTests {
    /// A valid session with layout of its own, which a copy must keep byte for byte.
    static let source = """
        {
            "title":   "Stretch",
            "steps": [ {"name": "Reach",  "duration": "30s"},
                       {"name": "Twist", "duration": 20, "sides": true} ]
        }

        """

    @Test("--from copies the file exactly into $XDG_CONFIG_HOME/guide/sessions, and the daemon lists it")
    func copyFrom() throws {
        let daemon = try DaemonFixture(sessions: ["stretch": Self.source])
        let target = daemon.root + "/config/guide/sessions/evening.json"
        let made = try daemon.guidectl(["new", "evening", "--from", "stretch"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == target + "\n")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.source)

        // Never overwritten by accident.
        try Data("{\"title\": \"Mine\", \"steps\": [{\"name\": \"X\", \"duration\": 5}]}".utf8).write(to: URL(fileURLWithPath: target))
        let again = try daemon.guidectl(["new", "evening", "--from", "stretch"])
        #expect(again.status == 1)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr == "guidectl: \(target) already exists; edit it, pick another NAME, or overwrite it with --force\n")
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("Mine"))
        let forced = try daemon.guidectl(["new", "evening", "--from", "stretch", "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.source)

        try daemon.start()
        let list = try daemon.guidectl(["list"])
        #expect(list.stdout.contains("evening"), "\(list.stdout)")
    }

    @Test("without --from: a template that validates, with a title from the name")
    func template() throws {
        let daemon = try DaemonFixture()
        let made = try daemon.guidectl(["new", "morning-mobility"])
        #expect(made.status == 0, "\(made.stderr)")
        let path = made.stdout.trimmingCharacters(in: .newlines)
        #expect(path == daemon.root + "/config/guide/sessions/morning-mobility.json")
        let session = try SessionFile.read(path: path)
        #expect(session.title == "Morning mobility")
        let validated = try daemon.guidectl(["validate", path])
        #expect(validated.status == 0)
        #expect(validated.stdout.hasPrefix("\(path): ok ("))

        // A mistake made while editing is explained as for any file.
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""duration": "30s""#, with: #""duration": "90""#)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let broken = try daemon.guidectl(["validate", path])
        #expect(broken.status == 65)
        #expect(broken.stderr == "guidectl: \(path): steps[1].duration: \"90\" is not a duration (use 90, \"90s\" or \"1m30s\")\n", "\(broken.stderr)")
    }

    @Test("bad names are usage errors (64) that state the rule; unknown sources are refused (1)")
    func refusals() throws {
        let daemon = try DaemonFixture(sessions: ["stretch": Self.source])
        let bad = try daemon.guidectl(["new", "Evening_Stretch"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("\"Evening_Stretch\" is not a valid session name (use 1–64 lowercase letters, digits and '-', starting with a letter or digit)"))
        let unknown = try daemon.guidectl(["new", "evening", "--from", "strech"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("guidectl: no session named \"strech\" (did you mean \"stretch\"?)"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.root + "/config/guide/sessions/evening.json"))
    }
}
