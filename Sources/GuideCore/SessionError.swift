/// Why a session file was rejected: the file, where in it, and what to do.
///
/// Rendered as one line: `cooldown.json: steps[3].duration: "90" is not a duration (use 90, "90s" or "1m30s")`.
public struct SessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as given (usually `NAME.json`).
    public var file: String
    /// A JSON path (`steps[3].duration`), or `line 3, column 7` for syntax errors, or empty.
    public var location: String
    public var message: String

    public init(file: String, location: String, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}
