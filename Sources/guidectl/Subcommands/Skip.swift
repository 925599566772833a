import ArgumentParser

extension GuideCtl {
    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "skip", abstract: "Go on to the next step (or side) now.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try SimpleCommand.run(.skip, global.daemon)
        }
    }
}
