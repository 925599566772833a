import ArgumentParser

extension GuideCtl {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow the session until it finishes or is stopped.",
            discussion: """
                In a terminal, one line with a progress bar is redrawn in place. Otherwise one \
                line is printed per event ('18:02:11 step 3/9 Knee-to-chest (left) 0:45'), \
                starting with the current status. With --json, each event is printed as the \
                daemon sends it, one JSON object per line. When nothing is running, watch \
                waits for the next session. Exits 0 when the session ends, 130 on Ctrl-C.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print each event as a line of JSON.")
        var json = false

        func run() throws {
            let client = try DaemonClient.connect(global, startIfNeeded: true)
            try Watcher(client: client, json: json, waitForSession: true).run()
        }
    }
}
