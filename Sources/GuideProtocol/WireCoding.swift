import GuideCore

/// Lines of the protocol, one JSON value each: every wire type writes itself on GuideCore's
/// ``JSONWriter`` (``WireEncodable``) and reads itself from a ``JSONValue`` parsed by
/// ``JSONParser`` (``WireDecodable``). There is no other JSON codec in guide: no
/// `JSONEncoder`, no `JSONDecoder`, no `Codable` on the wire types (docs/protocol.md).
public enum WireCoding {
    /// The line written instead of a value that JSON cannot carry (a NaN or an infinite
    /// number, which only a bug makes): a client sees an `internal` error, never bad JSON.
    public static let unencodableLine = Array(#"{"ok":false,"error":{"code":"internal","message":"could not encode the reply"}}"#.utf8) + [0x0A]

    /// `value` as one line, its newline included.
    public static func encodeLine<T: WireEncodable>(_ value: T, capacity: Int = 256) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        value.encode(to: &writer)
        guard writer.isValid else { return unencodableLine }
        writer.bytes.append(0x0A)
        return writer.bytes
    }

    /// The value of one line (without its newline).
    public static func decode<T: WireDecodable, Bytes: Collection<UInt8>>(_ type: T.Type, from line: Bytes) throws(WireValueError) -> T {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw WireValueError("not JSON: " + error.description)
        }
        return try T(wire: value)
    }
}
