import ArgumentParser

extension GuideCtl {
    struct Back: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "back", abstract: "Go back to the start of this step, or to the previous one within its first 3 s.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try SimpleCommand.run(.back, global.daemon)
        }
    }
}
