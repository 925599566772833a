/// Typed access to the members of a JSON object, for ``WireDecodable`` types:
/// `let o = try WireObject(value)` then `try o.value("name")` (required) or
/// `try o.optional("side")` (nil when missing or `null`).
public struct WireObject {
    let members: [(key: String, value: JSONValue)]

    public init(_ value: JSONValue) throws(WireValueError) {
        guard case .object(let members) = value else { throw WireValueError("is not an object") }
        self.members = members
    }

    /// The raw value of `key`, nil when missing or `null` (the last one when a key repeats).
    public func member(_ key: String) -> JSONValue? {
        switch members.last(where: { $0.key == key })?.value {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// The value of `key`; missing or `null` is an error.
    public func value<T: WireDecodable>(_ key: String, as type: T.Type = T.self) throws(WireValueError) -> T {
        guard let value = member(key) else { throw WireValueError("\(JSONValue.quoted(key)) is missing or null") }
        return try Self.read(key, value)
    }

    /// The value of `key`, nil when it is missing or `null`.
    public func optional<T: WireDecodable>(_ key: String, as type: T.Type = T.self) throws(WireValueError) -> T? {
        guard let value = member(key) else { return nil }
        return try Self.read(key, value)
    }

    private static func read<T: WireDecodable>(_ key: String, _ value: JSONValue) throws(WireValueError) -> T {
        do {
            return try T(wire: value)
        } catch {
            throw WireValueError(JSONValue.quoted(key) + " " + error.description)
        }
    }
}
