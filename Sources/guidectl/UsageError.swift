/// A usage error as guidectl prints it: one line, ArgumentParser's message and where to
/// read how the command is used, e.g.
/// `Unexpected argument 'frob' (see 'guidectl --help')`.
enum UsageError {
    /// The one line (without the `guidectl: ` prefix that ``Console/error(_:)`` adds).
    static func line(_ message: String, arguments: [String]) -> String {
        let first = message.split(separator: "\n").first { !$0.trimmingPrefix(" ").isEmpty } ?? "invalid command line"
        var text = String(first.trimmingPrefix("Error: "))
        if let last = text.last, last == "." { text.removeLast() }
        return text + " (see '\(helpCommand(arguments))')"
    }

    /// `guidectl SUBCOMMAND --help` for the first word that names a subcommand, else
    /// `guidectl --help`.
    static func helpCommand(_ arguments: [String]) -> String {
        let names = GuideCtl.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard let sub = arguments.first(where: { names.contains($0) }) else { return "guidectl --help" }
        return "guidectl \(sub) --help"
    }
}
