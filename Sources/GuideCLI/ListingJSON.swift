import GuideCore
import GuideProtocol

/// `list --json`: the sessions and the files that failed to load, as one line of JSON in
/// the shape of the daemon's `list` reply (`{"errors": […], "sessions": […]}`), whether
/// the daemon or the files on disk answered.
public enum ListingJSON {
    public static func line(sessions: [SessionSummary], errors: [FileError]) -> String {
        let sessionObjects = sessions.map { session in
            "{\"name\":\(JSONValue.quoted(session.name)),\"steps\":\(session.steps),"
                + "\"title\":\(JSONValue.quoted(session.title)),\"total\":\(JSONValue.format(session.total))}"
        }
        let errorObjects = errors.map { error in
            "{\"file\":\(JSONValue.quoted(error.file)),\"message\":\(JSONValue.quoted(error.message))}"
        }
        return "{\"errors\":[\(errorObjects.joined(separator: ","))],\"sessions\":[\(sessionObjects.joined(separator: ","))]}\n"
    }
}
