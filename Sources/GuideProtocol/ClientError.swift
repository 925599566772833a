/// Why a client call failed, in words that say what to do.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing listens at the path (exit 69 in guidectl): `reason` in words, with the
    /// errno of the failed call when there was one (ENOENT, ECONNREFUSED: no daemon).
    case unreachable(path: String, reason: String, errno: Int32? = nil)
    /// The daemon closed the connection.
    case closed(path: String)
    /// No reply in time.
    case timedOut(path: String)
    /// The daemon said something this client does not understand.
    case badReply(String)

    public var description: String {
        switch self {
        case .unreachable(let path, let reason, _): "no daemon running on \(path) (\(reason)); start it with 'guided' or any guidectl command that needs it"
        case .closed(let path): "the daemon on \(path) closed the connection"
        case .timedOut(let path): "the daemon on \(path) did not answer in time"
        case .badReply(let what): "unexpected reply from the daemon: \(what)"
        }
    }
}
