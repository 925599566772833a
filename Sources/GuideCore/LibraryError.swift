/// A file or directory of the search path that could not be loaded; `list` reports these
/// under `errors` so that a typo in a session is seen rather than silently ignored.
public struct LibraryError: Sendable, Hashable, CustomStringConvertible {
    /// The file (or, for an unreadable directory, the directory) at fault.
    public var path: String
    /// The session name the file would have provided; nil for directories and invalid names.
    public var name: String?
    /// One line: the ``SessionError`` description (`cooldown.json: steps[3].duration: …`).
    public var message: String
    /// Set by ``SessionLibrary/reloaded(directories:)`` when the previous version of the
    /// file is still being served in its place.
    public var keptPreviousVersion: Bool = false
    /// Whether the file exists but is broken (it then holds on to its name).
    var fileExists: Bool = true

    public init(path: String, name: String?, message: String, keptPreviousVersion: Bool = false) {
        self.path = path
        self.name = name
        self.message = message
        self.keptPreviousVersion = keptPreviousVersion
    }

    init(path: String, name: String?, message: String, fileExists: Bool) {
        self.init(path: path, name: name, message: message)
        self.fileExists = fileExists
    }

    public var description: String { message }
}
