import GuideCore
import GuideProtocol

/// The reply line to a `status` request, `{"id":…,"ok":true,"status":{…}}` and a newline:
/// the daemon's most frequent write, so it has a name of its own, but it is the one
/// ``Response`` encoder (``WireCoding/encodeLine(_:capacity:)``) with a buffer sized for
/// a status, not a second codec.
public enum StatusReply {
    /// The whole line, newline included.
    public static func line(id: RequestID?, status: Status) -> [UInt8] {
        WireCoding.encodeLine(Response(id: id, status: status), capacity: 512)
    }

    /// Any reply as a line (what the server writes for every request).
    public static func line(for response: Response) -> [UInt8] {
        WireCoding.encodeLine(response, capacity: response.status == nil ? 256 : 512)
    }
}
