import ArgumentParser

extension GuideCtl {
    struct Toggle: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "toggle", abstract: "Pause the session if it runs, resume it if it is paused.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try SimpleCommand.run(.toggle, global.daemon)
        }
    }
}
