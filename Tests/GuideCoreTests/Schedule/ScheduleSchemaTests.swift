import Foundation
import Testing
@testable import GuideCore

/// `Sessions/schedule/schedule.schema.json` (for editors) and ``ScheduleDecoder`` agree on
/// the bundled example and on documents that each break one rule a schema can express.
@Suite struct ScheduleSchemaTests {
    static let directory = Fixtures.sessionsDirectory + "/schedule"

    static func doc(_ reminder: String, quiet: String = "") -> String {
        #"{\#(quiet) "reminders": [\#(reminder)]}"#
    }

    static let valid: [(String, String)] = [
        ("every with between", doc(#"{"name": "w", "say": "x", "every": "20m", "between": "09:00-21:00"}"#)),
        ("every as seconds", doc(#"{"name": "w", "say": "x", "every": 10}"#)),
        ("at with seconds", doc(#"{"name": "w", "session": "cooldown", "at": ["18:30:15"], "days": "Mon-Fri"}"#)),
        ("quiet with days", doc(#"{"name": "w", "say": "x", "at": ["08:00"]}"#, quiet: #""quiet": [{"between": "22:00-07:30", "days": "sat,sun"}],"#)),
        ("intake and goal", doc(#"{"name": "w", "say": "x", "every": "1h", "intake": "0.3l", "dailyGoal": "2L"}"#)),
        ("empty", "{}"),
    ]

    static let invalid: [(String, String)] = [
        ("unknown field", doc(#"{"name": "w", "say": "x", "every": "1h", "often": true}"#)),
        ("no timing", doc(#"{"name": "w", "say": "x"}"#)),
        ("both timings", doc(#"{"name": "w", "say": "x", "every": "1h", "at": ["08:00"]}"#)),
        ("nothing to say", doc(#"{"name": "w", "every": "1h"}"#)),
        ("every too short", doc(#"{"name": "w", "say": "x", "every": 5}"#)),
        ("bad time", doc(#"{"name": "w", "say": "x", "at": ["8:00"]}"#)),
        ("bad window", doc(#"{"name": "w", "say": "x", "every": "1h", "between": "09:00"}"#)),
        ("bad days", doc(#"{"name": "w", "say": "x", "every": "1h", "days": "weekdays"}"#)),
        ("goal without intake", doc(#"{"name": "w", "say": "x", "every": "1h", "dailyGoal": "2l"}"#)),
        ("between with at", doc(#"{"name": "w", "say": "x", "at": ["08:00"], "between": "09:00-10:00"}"#)),
        ("bad name", doc(#"{"name": "W", "say": "x", "every": "1h"}"#)),
        ("quiet without between", doc(#"{"name": "w", "say": "x", "every": "1h"}"#, quiet: #""quiet": [{"days": "sat"}],"#)),
    ]

    static func decodes(_ text: String) -> Bool {
        (try? ScheduleDecoder.decode(Array(text.utf8), fileName: "schedule.json")) != nil
    }

    @Test func theBundledExampleDecodes() throws {
        let text = try String(contentsOfFile: Self.directory + "/schedule.json", encoding: .utf8)
        let schedule = try ScheduleDecoder.decode(Array(text.utf8), fileName: "schedule.json")
        #expect(schedule.reminders.map(\.name) == ["water", "posture", "evening", "rolling", "massage", "bath"])
        // Every routine it announces is a bundled session.
        for reminder in schedule.reminders {
            if let session = reminder.session {
                #expect(FileManager.default.fileExists(atPath: Fixtures.sessionsDirectory + "/\(session).json"), "\(session)")
            }
        }
    }

    @Test func theSchemaAndTheDecoderAgree() throws {
        let example = try String(contentsOfFile: Self.directory + "/schedule.json", encoding: .utf8)
        let documents = [("example", example)] + Self.valid + Self.invalid
        guard let verdicts = try SchemaValidator.validate(documents.map(\.1), schema: Self.directory + "/schedule.schema.json") else { return }
        try #require(verdicts.count == documents.count)
        for ((label, text), schemaAccepts) in zip(documents, verdicts) {
            let decoderAccepts = Self.decodes(text)
            #expect(schemaAccepts == decoderAccepts, "\(label): schema \(schemaAccepts), decoder \(decoderAccepts)")
            #expect(decoderAccepts == !Self.invalid.contains { $0.0 == label }, "\(label)")
        }
    }
}
