import ArgumentParser

extension GuideCtl {
    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause the running session; its step keeps the time it had left.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try SimpleCommand.run(.pause, global.daemon)
        }
    }
}
