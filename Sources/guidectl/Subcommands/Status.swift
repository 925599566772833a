import ArgumentParser
import GuideProtocol

extension GuideCtl {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what is running. Never starts a daemon.",
            discussion: """
                --format takes text with placeholders, for status bars: \(StatusTemplate.validPlaceholders). \
                {step} is the step's name, {remaining} the m:ss left in the step, {total_remaining} \
                in the session, {progress} the whole percent of the session done. Write {{ and }} \
                for literal braces. When idle, every placeholder but {state} is empty.
                Example: guidectl status --format '{session} {index}/{count} {remaining}'
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the status as one line of JSON (the daemon's status object).")
        var json = false

        @Option(help: ArgumentHelp("Print the status through a template, e.g. '{step} {remaining}'.", valueName: "template"))
        var format: String?

        func validate() throws {
            if json, format != nil { throw ValidationError("use either --json or --format, not both") }
            if let format {
                do {
                    _ = try StatusTemplate(format)
                } catch {
                    throw ValidationError(error.description)
                }
            }
        }

        func run() throws {
            let client = try DaemonClient.connect(global, startIfNeeded: false)
            let status = try client.status(of: try client.request(Request(command: .status)))
            if json {
                Console.write(String(decoding: WireCoding.encodeLine(status), as: UTF8.self))
            } else if let format, let template = try? StatusTemplate(format) {
                Console.line(template.render(status))
            } else {
                Console.line(StatusFormatter.human(status))
            }
        }
    }
}
