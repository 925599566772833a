/// A session as found on disk: the validated session and the file it came from.
public struct LoadedSession: Sendable, Hashable {
    public var session: Session
    public var path: String

    public init(session: Session, path: String) {
        self.session = session
        self.path = path
    }
}
