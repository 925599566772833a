import GuideProtocol
import GuideCore

/// A `--format` template for status bars: text with placeholders such as `{step}` and
/// `{remaining}`; `{{` and `}}` stand for literal braces.
///
/// Parsed once (so a typo is a usage error before anything is asked of the daemon), then
/// rendered for each status. When idle, every placeholder but `{state}` is empty.
public struct StatusTemplate: Sendable, Equatable {
    public enum Placeholder: String, Sendable, CaseIterable {
        case state, session, title, step, index, count, side, remaining
        case totalRemaining = "total_remaining"
        case elapsed, progress
        /// The next reminder's name, and the time until it (`m:ss`, `h:mm:ss`), from the
        /// status's `reminders` (empty without a schedule).
        case reminder
        case reminderIn = "reminder_in"
    }

    enum Part: Sendable, Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    /// Why a template was rejected, in words that say what to write instead.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    let parts: [Part]

    /// The placeholders, as a user writes them: `{state}, {session}, …`.
    public static var validPlaceholders: String {
        Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
    }

    public init(_ format: String) throws(ParseError) {
        var parts: [Part] = []
        var text = ""
        var chars = Array(format)[...]
        var column = 0
        while let ch = chars.popFirst() {
            column += 1
            switch ch {
            case "{" where chars.first == "{":
                chars.removeFirst()
                column += 1
                text.append("{")
            case "{":
                guard let close = chars.firstIndex(of: "}") else {
                    throw ParseError(message: "unclosed '{' at column \(column) of --format (write {{ for a literal brace)")
                }
                let name = String(chars[..<close])
                guard let placeholder = Placeholder(rawValue: name) else {
                    var message = "unknown placeholder {\(name)} in --format"
                    if let near = Spelling.nearest(to: name, in: Placeholder.allCases.map(\.rawValue)) {
                        message += " (did you mean {\(near)}?)"
                    }
                    throw ParseError(message: message + "; valid placeholders: \(Self.validPlaceholders); write {{ and }} for literal braces")
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.placeholder(placeholder))
                column += name.count + 1
                chars = chars[(close + 1)...]
            case "}" where chars.first == "}":
                chars.removeFirst()
                column += 1
                text.append("}")
            case "}":
                throw ParseError(message: "single '}' at column \(column) of --format (write }} for a literal brace)")
            default:
                text.append(ch)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    public func render(_ status: Status) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .placeholder(let placeholder): Self.value(of: placeholder, in: status)
            }
        }.joined()
    }

    /// The text of one placeholder. Times are `m:ss` (remaining times round up, elapsed
    /// rounds down, so that the two add up to the total); progress is a whole percent.
    public static func value(of placeholder: Placeholder, in status: Status, now: Double = WireTime.now) -> String {
        if placeholder == .state { return status.state.rawValue }
        // Reminders come with an idle daemon too.
        if placeholder == .reminder { return status.reminders?.next?.name ?? "" }
        if placeholder == .reminderIn {
            guard let at = status.reminders?.next.flatMap({ WireTime.unix($0.at) }) else { return "" }
            return DurationText.clock(max(0, at - now))
        }
        guard status.state != .idle else { return "" }
        switch placeholder {
        case .state: return status.state.rawValue
        case .session: return status.session ?? ""
        case .title: return status.title ?? ""
        case .step: return status.step?.name ?? ""
        case .index: return status.step.map { String($0.index) } ?? ""
        case .count: return status.step.map { String($0.count) } ?? ""
        case .side: return status.step?.side?.rawValue ?? ""
        case .remaining: return status.step.map { DurationText.clock($0.remaining) } ?? ""
        case .totalRemaining: return DurationText.clock(status.remaining)
        case .elapsed: return DurationText.clock(status.elapsed.rounded(.down))
        case .progress: return String(Int(status.progress.rounded(.down)))
        case .reminder, .reminderIn: return ""  // answered above
        }
    }
}
