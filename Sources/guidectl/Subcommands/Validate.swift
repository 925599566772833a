import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

extension GuideCtl {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check session and schedule files without a daemon.",
            discussion: """
                Prints 'FILE: ok (…)' for each valid file and one line on stderr for each \
                invalid one, naming the JSON path and what is allowed, by the daemon's own checks. \
                A file whose top level has "reminders" or "quiet" (and no "steps") is checked as \
                a schedule, any other as a session. With --schedule every FILE is a schedule, and \
                with no FILE the schedule guided reads is checked: GUIDE_SCHEDULE, else \
                $XDG_CONFIG_HOME/guide/schedule.json (guided's own --schedule flag is not known \
                here; name that file). Exits 65 if any file is invalid or missing.
                """)

        @Flag(help: "Check the files as schedules; with no FILE, the schedule guided reads.")
        var schedule = false

        @Argument(help: "Session files (NAME.json) or schedule files.", completion: .file(extensions: ["json"]))
        var files: [String] = []

        func validate() throws {
            if files.isEmpty, !schedule {
                throw ValidationError("name the files to check, or give --schedule to check the schedule guided reads")
            }
        }

        func run() throws {
            var invalid = 0
            if files.isEmpty {
                // What guided reads without --schedule.
                guard let path = ScheduleFile.path(flag: nil, environment: ProcessInfo.processInfo.environment) else {
                    throw ValidationError("no schedule file to check: set GUIDE_SCHEDULE or HOME, or name the file")
                }
                if !check(schedule: path) { invalid += 1 }
            }
            for file in files {
                let ok = schedule || ScheduleFile.looksLikeSchedule(path: file) ? check(schedule: file) : check(session: file)
                if !ok { invalid += 1 }
            }
            if invalid > 0 { throw ExitCode.invalidSession }
        }

        private func check(session file: String) -> Bool {
            do {
                let session = try SessionFile.read(path: file)
                let total = DurationText.format(Timeline.totalDuration(of: session))
                Console.line("\(file): ok (\(Self.count(session.steps.count, "step")), \(total))")
                return true
            } catch {
                // Name the file as it was given, not only its last component.
                Console.error(SessionError(file: file, location: error.location, message: error.message).description)
                return false
            }
        }

        private func check(schedule file: String) -> Bool {
            do {
                let schedule = try ScheduleFile.validate(path: file)
                var parts = [Self.count(schedule.reminders.count, "reminder")]
                if !schedule.quiet.isEmpty { parts.append(Self.count(schedule.quiet.count, "quiet window")) }
                Console.line("\(file): ok (schedule: \(parts.joined(separator: ", ")))")
                return true
            } catch {
                Console.error(SessionError(file: file, location: error.location, message: error.message).description)
                return false
            }
        }

        private static func count(_ n: Int, _ noun: String) -> String {
            "\(n) \(noun)" + (n == 1 ? "" : "s")
        }
    }
}
