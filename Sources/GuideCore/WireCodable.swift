/// A type that writes itself as JSON: one `encode(to:)` per wire type, on the one
/// ``JSONWriter``. Adding a field is one line there (at its place in key order) and one in
/// the type's ``WireDecodable/init(wire:)``.
public protocol WireEncodable {
    func encode(to writer: inout JSONWriter)
}

/// A type that reads itself from a parsed ``JSONValue`` (GuideCore's ``JSONParser``),
/// with the rules lines have always been read by: unknown keys are ignored, a missing key
/// or `null` is nil for an optional and an error otherwise, integers must be whole and
/// fit, the last of repeated keys wins.
public protocol WireDecodable {
    init(wire value: JSONValue) throws(WireValueError)
}

public typealias WireCodable = WireEncodable & WireDecodable

/// Why a JSON value could not be read as a wire type, naming the field.
public struct WireValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// MARK: Scalars

extension String: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.string(self) }
    public init(wire value: JSONValue) throws(WireValueError) {
        guard case .string(let s) = value else { throw WireValueError("is not a string") }
        self = s
    }
}

extension Bool: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.bool(self) }
    public init(wire value: JSONValue) throws(WireValueError) {
        guard case .bool(let b) = value else { throw WireValueError("is not true or false") }
        self = b
    }
}

extension Double: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.number(self) }
    public init(wire value: JSONValue) throws(WireValueError) {
        guard case .number(let n) = value else { throw WireValueError("is not a number") }
        self = n
    }
}

extension WireDecodable where Self: FixedWidthInteger {
    public init(wire value: JSONValue) throws(WireValueError) {
        guard case .number(let n) = value, n == n.rounded(), let i = Self(exactly: n) else {
            throw WireValueError("is not a whole number from \(Self.min) to \(Self.max)")
        }
        self = i
    }
}

extension Int: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(Int64(self)) }
}

extension Int64: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(self) }
}

extension Int32: WireCodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(Int64(self)) }
}

/// Any JSON, kept as parsed (and written back as it was, keys in their order).
extension JSONValue: WireCodable {
    public init(wire value: JSONValue) { self = value }

    public func encode(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let b): writer.bool(b)
        case .number(let n): writer.number(n)
        case .string(let s): writer.string(s)
        case .array(let elements): elements.encode(to: &writer)
        case .object(let members):
            writer.beginObject()
            for (key, value) in members {
                writer.string(key)
                writer.bytes.append(UInt8(ascii: ":"))
                writer.needsComma = false
                value.encode(to: &writer)
            }
            writer.endObject()
        }
    }
}

/// A nil optional is written as `null`; use ``JSONWriter/fieldIfPresent(_:_:)`` to leave
/// the key out instead.
extension Optional: WireEncodable where Wrapped: WireEncodable {
    public func encode(to writer: inout JSONWriter) {
        if let self { self.encode(to: &writer) } else { writer.null() }
    }
}

extension Array: WireEncodable where Element: WireEncodable {
    public func encode(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.encode(to: &writer) }
        writer.endArray()
    }
}

extension Array: WireDecodable where Element: WireDecodable {
    public init(wire value: JSONValue) throws(WireValueError) {
        guard case .array(let elements) = value else { throw WireValueError("is not an array") }
        self = []
        reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                append(try Element(wire: element))
            } catch {
                throw WireValueError("[\(index)] " + error.description)
            }
        }
    }
}

/// String enums (`state`, `side`, `outcome`, error codes …) are their raw value.
extension WireEncodable where Self: RawRepresentable, RawValue == String {
    public func encode(to writer: inout JSONWriter) { writer.string(rawValue) }
}

extension WireDecodable where Self: RawRepresentable, RawValue == String {
    public init(wire value: JSONValue) throws(WireValueError) {
        let text = try String(wire: value)
        guard let known = Self(rawValue: text) else { throw WireValueError("\(JSONValue.quoted(text)) is not known here") }
        self = known
    }
}
