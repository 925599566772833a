import ArgumentParser
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show what is running. Never starts a daemon.",
            discussion: """
                One short line; ' · no sound' at its end when the sound device failed (--long \
                shows the error, the next step and the device).

                --format takes text with placeholders, for status bars: \(StatusTemplate.validPlaceholders). \
                {step} is the step's name, {remaining} the m:ss left in the step, {total_remaining} \
                in the session, {progress} the whole percent of the session done. Write {{ and }} \
                for literal braces. When idle, every placeholder but {state} is empty.
                Example: guidectl status --format '{session} {index}/{count} {remaining}'
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the status as one line of JSON (the daemon's status object).")
        var json = false

        @Flag(help: "Print more than the one line: the next step, the sound device and its error.")
        var long = false

        @Option(help: ArgumentHelp("Print the status through a template, e.g. '{step} {remaining}'.", valueName: "template"))
        var format: String?

        func validate() throws {
            if let problem = Self.problem(json: json, format: format, long: long) { throw ValidationError(problem) }
        }

        func run() throws {
            try Self.run(global.daemon, json: json, format: format, long: long)
        }

        /// What is wrong with these options, or nil (also checked by ``QuickParse``).
        static func problem(json: Bool, format: String?, long: Bool) -> String? {
            if [json, format != nil, long].filter({ $0 }).count > 1 { return "use one of --json, --format and --long, not several" }
            if let format {
                do {
                    _ = try StatusTemplate(format)
                } catch {
                    return error.description
                }
            }
            return nil
        }

        /// The command with its options as plain values (also run by ``QuickParse``).
        static func run(_ daemon: DaemonSocket, json: Bool, format: String?, long: Bool) throws {
            let client = try DaemonClient.connect(daemon, startIfNeeded: false)
            let status = try client.status(of: try client.request(Request(command: .status)))
            if json {
                Console.write(String(decoding: WireCoding.encodeLine(status), as: UTF8.self))
            } else if let format, let template = try? StatusTemplate(format) {
                Console.line(template.render(status))
            } else if long {
                Console.line(StatusFormatter.long(status, style: Console.style))
            } else {
                Console.line(StatusFormatter.human(status, style: Console.style))
            }
        }
    }
}
