import ArgumentParser

extension GuideCtl {
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused session (also one restored after a restart).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try SimpleCommand.run(.resume, global.daemon)
        }
    }
}
