import ArgumentParser
import GuideProtocol

/// A quick way through the plain command lines that status bars and scripts run every
/// second (`guidectl status`, `guidectl status --format '{step} {remaining}'`,
/// `guidectl --socket PATH pause`, …), ahead of ArgumentParser.
///
/// ArgumentParser builds every command's arguments through `Mirror` and generic metadata
/// looked up by mangled name, and parses two extra pseudo-commands to look for
/// `--generate-completion-script`; in a fresh process that costs milliseconds, more than
/// the whole exchange with the daemon. This parser only takes argument lists whose meaning
/// is beyond doubt, reads the same values ArgumentParser would, and runs the same code
/// the command's `run()` runs; anything else (help, `--version`, short names, a value that
/// starts with `-` or is empty, an unknown or misplaced word, a positional argument,
/// options its `validate()` refuses) returns nil, and the command line goes to
/// ArgumentParser as before, which gives every message and exit status.
///
/// Accepted: `[--socket V]… COMMAND [--socket V | FLAG | --OPTION V]…`, with `--name=V` for
/// options too; a repeated option keeps its last value and a repeated flag stays set, as
/// in ArgumentParser. COMMAND is one of the commands with no positional argument that
/// talk to the daemon once (see ``names``).
///
/// `GUIDECTL_NO_QUICK_PARSE=1` turns it off, so that tests can run both ways and compare.
enum QuickParse {
    /// What a command line said: the values the command runs with.
    struct Words {
        var socket: String?
        var flags: [String] = []
        var options: [Option] = []

        struct Option {
            var name: String
            var value: String
        }

        func flag(_ name: String) -> Bool { flags.contains(name) }
        /// The last value given, as ArgumentParser keeps it.
        func option(_ name: String) -> String? { options.last { $0.name == name }?.value }
    }

    /// A command this parser handles: its flags, its options (all `String?`), what is
    /// wrong with given values (the command's own `validate()` check), and how it runs —
    /// through the same static function its ArgumentParser `run()` calls, so that nothing
    /// of ArgumentParser (property wrappers, `Mirror`) is built. (A switch and arrays
    /// rather than dictionaries and sets: every generic type with a `Hashable` key costs
    /// a conformance lookup in a fresh process.)
    struct Spec {
        var flags: [String] = []
        var options: [String] = []
        var problem: (Words) -> String? = { _ in nil }
        var run: (Words, DaemonSocket) throws -> Void
    }

    /// The commands with no positional argument that talk to the daemon once.
    static let names = ["status", "stop", "pause", "resume", "toggle", "skip", "back", "list", "reload", "version"]

    static func spec(_ name: String) -> Spec? {
        func simple(_ command: Command) -> Spec {
            Spec { _, daemon in try SimpleCommand.run(command, daemon) }
        }
        switch name {
        case "status":
            return Spec(
                flags: ["json", "long"], options: ["format"],
                problem: { GuideCtl.Status.problem(json: $0.flag("json"), format: $0.option("format"), long: $0.flag("long")) },
                run: { try GuideCtl.Status.run($1, json: $0.flag("json"), format: $0.option("format"), long: $0.flag("long")) })
        case "stop": return Spec { try GuideCtl.Stop.run($1) }
        case "pause": return simple(.pause)
        case "resume": return simple(.resume)
        case "toggle": return simple(.toggle)
        case "skip": return simple(.skip)
        case "back": return simple(.back)
        case "list": return Spec(flags: ["json"], run: { try GuideCtl.List.run($1, json: $0.flag("json")) })
        case "reload": return Spec { try GuideCtl.Reload.run($1) }
        case "version": return Spec { try GuideCtl.Version.run($1) }
        default: return nil
        }
    }

    /// Every word that names a command or asks for help: never taken as an option's value
    /// here (ArgumentParser may read such a line differently). A test keeps it equal to
    /// guidectl's subcommands.
    static let reservedWords = [
        "start", "stop", "pause", "resume", "toggle", "skip", "back", "status", "watch", "list", "show", "new",
        "validate", "reload", "history", "test-sound", "devices", "version", "help",
        "schedule", "done", "snooze", "quiet",
    ]

    /// The command to run, its options checked, or nil to leave the line to ArgumentParser.
    static func command(_ arguments: ArraySlice<String>) -> (() throws -> Void)? {
        if let off = Environment.value("GUIDECTL_NO_QUICK_PARSE"), !off.isEmpty, off != "0" { return nil }
        guard let (name, words) = parse(arguments), let found = spec(name) else { return nil }
        // A problem is ArgumentParser's to report, with the usage and exit status 64.
        guard found.problem(words) == nil else { return nil }
        let daemon = DaemonSocket(explicit: words.socket)
        return { try found.run(words, daemon) }
    }

    /// The command's name and its words, or nil when the line is not of the accepted form.
    static func parse(_ arguments: ArraySlice<String>) -> (String, Words)? {
        var words = Words()
        var name: String?
        var command: Spec?
        var rest = arguments[...]
        while let word = rest.popFirst() {
            guard word.hasPrefix("--") else {
                // The command's name, once, before anything but --socket.
                guard name == nil, let found = spec(word) else { return nil }
                name = word
                command = found
                continue
            }
            let body = word.dropFirst(2)
            let key: Substring
            var value: String?
            if let equals = body.firstIndex(of: "=") {
                key = body[..<equals]
                value = String(body[body.index(after: equals)...])
            } else {
                key = body
            }
            let option = String(key)
            if option == "socket" || (command?.options.contains(option) ?? false) {
                if value == nil {
                    guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                    value = next
                }
                guard let value, !value.isEmpty, !reservedWords.contains(value) else { return nil }
                if option == "socket" { words.socket = value } else { words.options.append(.init(name: option, value: value)) }
            } else if value == nil, command?.flags.contains(option) ?? false {
                words.flags.append(option)
            } else {
                return nil
            }
        }
        guard let name else { return nil }
        return (name, words)
    }
}

