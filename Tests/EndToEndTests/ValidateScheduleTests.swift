import Foundation
import GuideProtocol
import GuideTestSupport
import Testing

/// `guidectl validate` checks schedule files with the daemon's own one-line errors
/// (issue 16), against the real `guidectl` binary.
@Suite("validate schedules")
struct ValidateScheduleTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let broken = """
        {"quiet": [{"between": "22:00-07:30"}],
         "reminders": [
          {"name": "water", "say": "Drink", "every": "20m"},
          {"name": "posture", "say": "Shoulders down", "every": "45m"},
          {"name": "blink", "say": "Blink", "every": "5s"}
         ]}
        """

    @Test("a schedule file is recognised and checked; its error is the line the daemon gives, with the file as named")
    func brokenScheduleSameErrorAsDaemon() throws {
        let daemon = try DaemonFixture()
        let path = daemon.root + "/schedule.json"
        try Self.broken.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try daemon.guidectl(["validate", path])
        #expect(result.status == 65)
        #expect(result.stdout == "")
        #expect(result.stderr == "guidectl: \(path): reminders[2].every: \"5s\" is out of range (a duration from 10s to 24h is allowed)\n")

        // The daemon, given the same file, reports the same words (naming the file's last component).
        daemon.extraEnvironment["GUIDE_SCHEDULE"] = path
        try daemon.start()
        let listing = try #require(try daemon.connect().send(Request(command: .schedule)).schedule)
        let error = try #require(listing.error)
        #expect(result.stderr == "guidectl: \(daemon.root)/\(error)\n")
    }

    @Test("sessions and schedules in one call: each gets its ok line; one bad file makes the exit 65")
    func mixedFiles() throws {
        let daemon = try DaemonFixture()
        let schedule = Self.packageRoot + "/Sessions/schedule/schedule.json"
        let session = Self.packageRoot + "/Sessions/cooldown.json"
        let ok = try daemon.guidectl(["validate", session, schedule])
        #expect(ok.status == 0, "\(ok.stderr)")
        let lines = ok.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(session): ok (12 steps, ") == true, "\(ok.stdout)")
        #expect(lines.last == "\(schedule): ok (schedule: 6 reminders, 1 quiet window)")

        let bad = daemon.root + "/bad.json"
        try Self.broken.write(toFile: bad, atomically: true, encoding: .utf8)
        let mixed = try daemon.guidectl(["validate", schedule, bad, session])
        #expect(mixed.status == 65)
        #expect(mixed.stdout.split(separator: "\n").count == 2)
        #expect(mixed.stderr.hasPrefix("guidectl: \(bad): reminders[2].every: "))
    }

    @Test("validate --schedule checks the schedule guided reads: GUIDE_SCHEDULE, else $XDG_CONFIG_HOME/guide/schedule.json")
    func scheduleInUse() throws {
        let daemon = try DaemonFixture()
        let configured = daemon.root + "/config/guide/schedule.json"
        // None written yet: named, and missing is an error.
        let missing = try daemon.guidectl(["validate", "--schedule"])
        #expect(missing.status == 65)
        #expect(missing.stderr == "guidectl: \(configured): does not exist\n")

        try FileManager.default.createDirectory(atPath: daemon.root + "/config/guide", withIntermediateDirectories: true)
        try #"{"reminders": [{"name": "water", "say": "Drink", "every": "20m", "between": "09:00-17:00"}]}"#
            .write(toFile: configured, atomically: true, encoding: .utf8)
        let ok = try daemon.guidectl(["validate", "--schedule"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "\(configured): ok (schedule: 1 reminder)\n")

        let other = daemon.root + "/other.json"
        try Self.broken.write(toFile: other, atomically: true, encoding: .utf8)
        let overridden = try daemon.guidectl(["validate", "--schedule"], environment: ["GUIDE_SCHEDULE": other])
        #expect(overridden.status == 65)
        #expect(overridden.stderr.hasPrefix("guidectl: \(other): reminders[2].every: "))

        // --schedule with a file: checked as a schedule whatever it holds.
        let session = try daemon.guidectl(["validate", "--schedule", Self.packageRoot + "/Sessions/cooldown.json"])
        #expect(session.status == 65)
        #expect(session.stderr.contains("cooldown.json: title: unknown field"))
    }

    @Test("validate with nothing to check is a usage error (64)")
    func nothingToCheck() throws {
        let daemon = try DaemonFixture()
        let result = try daemon.guidectl(["validate"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("guidectl: name the files to check, or give --schedule"))
    }

    @Test("every JSON example in docs/schedule-format.md passes validate --schedule")
    func documentedExamples() throws {
        let daemon = try DaemonFixture()
        let text = try String(contentsOfFile: Self.packageRoot + "/docs/schedule-format.md", encoding: .utf8)
        let blocks = text.components(separatedBy: "```json\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        #expect(blocks.count >= 3)
        for (index, block) in blocks.enumerated() {
            let path = daemon.root + "/example\(index).json"
            try block.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try daemon.guidectl(["validate", "--schedule", path])
            #expect(result.status == 0, "example \(index): \(result.stderr)")
        }
    }
}
