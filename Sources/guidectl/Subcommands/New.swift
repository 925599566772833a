import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GuideCore

extension GuideCtl {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a session file of your own to edit, and print its path.",
            discussion: """
                Writes $XDG_CONFIG_HOME/guide/sessions/NAME.json (default \
                ~/.config/guide/sessions), the first directory of the session path, so it \
                shadows a bundled session of the same name. With --from, the file is an exact \
                copy of that session's file (its layout and key order kept), found on the \
                session path without a daemon; without it, a small valid template. An existing \
                file is kept unless --force is given. A relative "$schema" in the copied file \
                is made absolute (file://…), so that editors still find the schema. Then edit it, check it with \
                'guidectl validate FILE' and make the daemon see it with 'guidectl reload'.
                Example: $EDITOR "$(guidectl new evening --from cooldown)"
                """)

        @Argument(help: "The new session's name: 1–64 lowercase letters, digits and '-'.")
        var name: String

        @Option(help: ArgumentHelp("Copy this session (see 'guidectl list').", valueName: "session"), completion: .custom(LocalLibrary.completeNames))
        var from: String?

        @Flag(help: "Overwrite an existing file of that name.")
        var force = false

        func validate() throws {
            if let problem = SessionName.problem(with: name) { throw ValidationError(problem) }
            if let from, let problem = SessionName.problem(with: from) { throw ValidationError("--from: " + problem) }
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            guard let directory = Self.userSessionsDirectory(environment: environment) else {
                throw Console.fail("cannot tell where your session files go: set XDG_CONFIG_HOME or HOME", .refused)
            }
            let target = directory + "/" + name + ".json"
            let contents = try from.map(Self.sourceText) ?? Data(Self.template(name: name).utf8)
            if let from, let source = LocalLibrary.load().session(named: from), source.path == target {
                throw Console.fail("\(target) is the file of \(from) itself; pick another NAME", .refused)
            }
            if !force, FileManager.default.fileExists(atPath: target) {
                throw Console.fail("\(target) already exists; edit it, pick another NAME, or overwrite it with --force", .refused)
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try contents.write(to: URL(fileURLWithPath: target), options: force ? .atomic : .withoutOverwriting)
            } catch {
                throw Console.fail("cannot write \(target): " + Self.describe(error), .refused)
            }
            Console.line(target)
        }

        /// `$XDG_CONFIG_HOME/guide/sessions`, default `~/.config/guide/sessions` (the search
        /// path's first directory after --sessions-dir / GUIDE_SESSIONS_PATH).
        static func userSessionsDirectory(environment: [String: String]) -> String? {
            if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/guide/sessions" }
            guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
            return home + "/.config/guide/sessions"
        }

        /// The exact bytes of the file of session `source` on the session path.
        static func sourceText(_ source: String) throws(ExitCode) -> Data {
            let library = LocalLibrary.load()
            guard let loaded = library.session(named: source) else {
                if let broken = library.errors.first(where: { $0.name == source }) {
                    throw Console.fail("cannot copy \(source): \(broken.message)", .invalidSession)
                }
                var message = "no session named \"\(source)\""
                if let near = Spelling.nearest(to: source, in: library.names) { message += " (did you mean \"\(near)\"?)" }
                throw Console.fail(message + " in \(LocalLibrary.directories().joined(separator: ":")); see 'guidectl list'", .refused)
            }
            guard let data = FileManager.default.contents(atPath: loaded.path) else {
                throw Console.fail("cannot read \(loaded.path)", .refused)
            }
            return Data(SchemaReference.repointed(String(decoding: data, as: UTF8.self), from: loaded.path).utf8)
        }

        /// What a file error says, in the words Foundation's `localizedDescription` uses on
        /// Linux (which needs FoundationInternationalization, kept out of guidectl).
        static func describe(_ error: any Error) -> String {
            guard let cocoa = error as? CocoaError else { return "The operation could not be completed. (\(error))" }
            let reason: String? =
                switch cocoa.code.rawValue {
                case 4, 260: "The file doesn’t exist."
                case 255: "The file couldn’t be locked."
                case 257, 513: "You don’t have permission."
                case 258, 514: "The file name is invalid."
                case 259: "The file isn’t in the correct format."
                case 261, 517: "The specified text encoding isn’t applicable."
                case 262, 518: "The specified URL type isn’t supported."
                case 263: "The item is too large."
                case 264: "The text encoding of the contents couldn’t be determined."
                case 516: "A file with the same name already exists."
                case 640: "There isn’t enough space."
                case 642: "The volume is read only."
                default: nil
                }
            return "The operation could not be completed. " + (reason ?? "(NSCocoaErrorDomain error \(cocoa.code.rawValue).)")
        }

        /// A small session that validates as it is: a title from the name, a caution, and
        /// one step of each kind.
        static func template(name: String) -> String {
            let words = name.split(separator: "-").joined(separator: " ")
            let title = words.prefix(1).uppercased() + words.dropFirst()
            return """
                {
                  "title": \(JSONValue.quoted(title)),
                  "description": "What this session is for, and what you need (a mat, a towel).",
                  "caution": "Start slowly and stop at once if it hurts. Ask a health professional about pain that persists.",
                  "steps": [
                    { "name": "Easy breathing", "duration": "1m", "instructions": "Stand or sit comfortably and breathe slowly." },
                    { "name": "Knee to chest", "duration": "30s", "sides": true, "instructions": "Lie on your back and hug one knee." },
                    { "name": "Rest", "duration": "15s", "rest": true }
                  ]
                }

                """
        }
    }
}
