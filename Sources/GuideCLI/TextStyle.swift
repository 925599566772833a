import GuideCore

/// Whether guidectl's human output is coloured: the state glyphs (`▶` green, `⏸` yellow,
/// `✓` green, `■` red) and the filled part of the progress bar.
///
/// Colour only on a terminal, and never with `NO_COLOR` set to anything non-empty
/// (no-color.org): a pipe, a file or a status bar gets the same text without escapes.
public struct TextStyle: Sendable, Equatable {
    public var colour: Bool

    public static let plain = TextStyle(colour: false)
    public static let coloured = TextStyle(colour: true)

    public init(colour: Bool) { self.colour = colour }

    /// The style for a stream: coloured when it is a terminal and `NO_COLOR` is unset or empty.
    public static func forOutput(isTerminal: Bool, noColor: String?) -> TextStyle {
        TextStyle(colour: isTerminal && (noColor ?? "").isEmpty)
    }

    static let reset = "\u{1B}[0m"
    static let green = "\u{1B}[32m"
    static let yellow = "\u{1B}[33m"
    static let red = "\u{1B}[31m"

    /// `text` in `code`'s colour, or as it is without colour.
    func paint(_ text: String, _ code: String) -> String {
        colour && !text.isEmpty ? code + text + Self.reset : text
    }

    /// The glyph of a state, coloured by state.
    public func glyph(_ state: Status.State) -> String {
        let symbol = StatusFormatter.symbol(for: state)
        return paint(symbol, state == .paused ? Self.yellow : Self.green)
    }

    /// `■`, the glyph of a stopped session.
    public var stoppedGlyph: String { paint("■", Self.red) }

    /// A progress bar drawn by ``StatusFormatter/progressBar(fraction:width:)`` with its
    /// filled cells coloured.
    func bar(_ plain: String) -> String {
        guard colour, let open = plain.first, open == "[" else { return plain }
        let inner = plain.dropFirst().dropLast()
        let filled = inner.prefix { $0 == "#" }
        return "[" + paint(String(filled), Self.green) + inner.dropFirst(filled.count) + "]"
    }
}
