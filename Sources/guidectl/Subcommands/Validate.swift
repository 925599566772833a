import ArgumentParser
import GuideCore

extension GuideCtl {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check session files without a daemon.",
            discussion: """
                Prints 'FILE: ok (…)' for each valid file and one line on stderr for each \
                invalid one, naming the JSON path and what is allowed. Exits 65 if any file \
                is invalid.
                """)

        @Argument(help: "Session files (NAME.json).", completion: .file(extensions: ["json"]))
        var files: [String]

        func run() throws {
            var invalid = 0
            for file in files {
                do {
                    let session = try SessionFile.read(path: file)
                    let total = DurationText.format(Timeline.totalDuration(of: session))
                    let steps = "\(session.steps.count) step" + (session.steps.count == 1 ? "" : "s")
                    Console.line("\(file): ok (\(steps), \(total))")
                } catch {
                    invalid += 1
                    // Name the file as it was given, not only its last component.
                    Console.error(SessionError(file: file, location: error.location, message: error.message).description)
                }
            }
            if invalid > 0 { throw ExitCode.invalidSession }
        }
    }
}
