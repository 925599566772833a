import ArgumentParser
import GuideCLI
import GuideProtocol

extension GuideCtl {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow the session until it finishes or is stopped.",
            discussion: """
                In a terminal, one line with a progress bar is redrawn in place. Otherwise one \
                line is printed per event ('18:02:11 step 3/9 Knee-to-chest (left) 0:45'), \
                starting with the current status. With --json, each event is printed as the \
                daemon sends it, one JSON object per line. When nothing is running, watch \
                waits for the next session. Exits 0 when the session ends, 130 on Ctrl-C.

                --waybar is for status bars and never exits: one JSON object per line in \
                waybar's custom-module format ({"text", "tooltip", "class", "percentage"}, class \
                = idle, running, paused or finished), at once, on every event and every second \
                while a session runs, one session after another. It does not start a daemon; \
                while none answers it prints the idle line and tries again every 2 s. \
                --format replaces the default text (same placeholders as 'status --format').
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print each event as a line of JSON.")
        var json = false

        @Flag(help: "Print waybar custom-module JSON lines, forever (for status bars).")
        var waybar = false

        @Option(help: ArgumentHelp("With --waybar: the text, e.g. '{step} {remaining}'.", valueName: "template"))
        var format: String?

        func validate() throws {
            if json, waybar { throw ValidationError("use either --json or --waybar, not both") }
            if let format {
                guard waybar else { throw ValidationError("--format goes with --waybar (or use 'guidectl status --format')") }
                do {
                    _ = try StatusTemplate(format)
                } catch {
                    throw ValidationError(error.description)
                }
            }
        }

        func run() throws {
            if waybar {
                try StatusBarWatcher(global: global, template: format.flatMap { try? StatusTemplate($0) }).run()
                return
            }
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            try Watcher(client: client, json: json, waitForSession: true).run()
        }
    }
}
