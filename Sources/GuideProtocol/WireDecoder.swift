import GuideCore

/// Decodes `Decodable` values from one JSON line parsed by GuideCore's ``JSONParser``,
/// with the semantics of Foundation's `JSONDecoder` for everything the wire types use:
/// unknown keys are ignored, `null` or a missing key is nil for an optional, whole
/// numbers only for integer types, numbers only for floating-point types.
///
/// Why not `JSONDecoder`: it asks the Swift runtime about protocol conformances (`as?`
/// casts for every type it decodes), and the first such question scans every conformance
/// record of the binary; that scan was the largest single cost of a `guidectl status`.
/// This decoder casts nothing.
struct WireDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from line: [UInt8]) throws -> T {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "The given data was not valid JSON: " + error.description))
        }
        return try T(from: ValueDecoder(value: value, codingPath: []))
    }
}

/// A coding key for array positions and `superDecoder`.
private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    init(intValue: Int) {
        self.stringValue = "Index " + String(intValue)
        self.intValue = intValue
    }
    static let `super` = IndexKey(stringValue: "super")
}

private func kind(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
}

private func mismatch(_ expected: String, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(
        Any.self,
        DecodingError.Context(codingPath: path, debugDescription: "Expected to decode \(expected) but found \(kind(value)) instead."))
}

/// The scalar conversions shared by the single-value, keyed and unkeyed containers.
private enum Scalar {
    static func bool(_ value: JSONValue, _ path: [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch("Bool", value, path) }
        return b
    }

    static func string(_ value: JSONValue, _ path: [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch("String", value, path) }
        return s
    }

    static func double(_ value: JSONValue, _ path: [any CodingKey]) throws -> Double {
        guard case .number(let n) = value else { throw mismatch("Double", value, path) }
        return n
    }

    static func float(_ value: JSONValue, _ path: [any CodingKey]) throws -> Float {
        let n = try double(value, path)
        let f = Float(n)
        guard n.isFinite == f.isFinite else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "Number \(n) does not fit in Float."))
        }
        return f
    }

    static func integer<I: FixedWidthInteger>(_ value: JSONValue, _ path: [any CodingKey]) throws -> I {
        guard case .number(let n) = value else { throw mismatch("an integer", value, path) }
        guard n == n.rounded(), let i = I(exactly: n) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "Number \(JSONValue.format(n)) does not fit in \(I.bitWidth)-bit integer."))
        }
        return i
    }
}

private struct ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch("a dictionary", value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array", value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }
    func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Scalar.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Scalar.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try Scalar.float(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(key: String, value: JSONValue)]
    let codingPath: [any CodingKey]

    /// The value of `key`; the last one when a key repeats, as `JSONDecoder` does.
    private func find(_ key: Key) -> JSONValue? {
        members.last { $0.key == key.stringValue }?.value
    }

    private func require(_ key: Key) throws -> JSONValue {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return value
    }

    var allKeys: [Key] {
        var seen = Set<String>()
        return members.compactMap { seen.insert($0.key).inserted ? Key(stringValue: $0.key) : nil }
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try require(key) { return true }
        return false
    }

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Scalar.bool(require(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Scalar.string(require(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Scalar.double(require(key), path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Scalar.float(require(key), path(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Scalar.integer(require(key), path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Scalar.integer(require(key), path(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: ValueDecoder(value: require(key), codingPath: path(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: require(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: require(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members.last { $0.key == "super" }?.value ?? .null, codingPath: codingPath + [IndexKey.super])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: find(key) ?? .null, codingPath: path(key))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element and its coding path; advances only when `use` succeeds.
    private mutating func next<T>(_ use: (JSONValue, [any CodingKey]) throws -> T) throws -> T {
        let path = codingPath + [IndexKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                T.self, DecodingError.Context(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        let result = try use(elements[currentIndex], path)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Never?.self,
                DecodingError.Context(codingPath: codingPath + [IndexKey(intValue: currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(Scalar.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(Scalar.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(Scalar.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(Scalar.float) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(Scalar.integer) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(Scalar.integer) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(Scalar.integer) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(Scalar.integer) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(Scalar.integer) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(Scalar.integer) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(Scalar.integer) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(Scalar.integer) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(Scalar.integer) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(Scalar.integer) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next { value, path in try T(from: ValueDecoder(value: value, codingPath: path)) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { value, path in try ValueDecoder(value: value, codingPath: path).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next { value, path in try ValueDecoder(value: value, codingPath: path).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next { value, path in ValueDecoder(value: value, codingPath: path) }
    }
}

extension Response {
    /// A reply line, decoded as `WireCoding.decode(Response.self, from:)` decodes it, with
    /// the parts of every control reply (`id`, `ok`, `error`, `status`) read by hand
    /// (``Status/init(wire:)``) and the rest (`list`, `show`, `history`, `version`
    /// payloads) through ``WireDecoder``, only when present.
    public init(wireLine line: [UInt8]) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw WireValueError("not JSON: " + error.description)
        }
        let o = try WireObject(value, "reply")
        self.init(ok: try o.bool("ok"))
        if let id = o.optional("id") {
            switch id {
            case .number(let n) where n == n.rounded():
                guard let number = Int64(exactly: n) else { throw WireValueError("\"id\" is not a whole number or a string") }
                self.id = .number(number)
            case .string(let s): self.id = .string(s)
            default: throw WireValueError("\"id\" is not a whole number or a string")
            }
        }
        if let error = o.optional("error") {
            let e = try WireObject(error, "error")
            guard let code = ErrorCode(rawValue: try e.string("code")) else { throw WireValueError("\"code\" is unknown") }
            self.error = ProtocolError(code, try e.string("message"))
        }
        if let status = o.optional("status") { self.status = try Status(wire: status) }
        func member<T: Decodable>(_ key: String, _ type: T.Type) throws -> T? {
            guard let value = o.optional(key) else { return nil }
            return try T(from: ValueDecoder(value: value, codingPath: [IndexKey(stringValue: key)]))
        }
        sessions = try member("sessions", [SessionSummary].self)
        errors = try member("errors", [FileError].self)
        session = try member("session", SessionDetail.self)
        history = try member("history", [HistoryEntry].self)
        version = try member("version", VersionInfo.self)
        schedule = try member("schedule", ScheduleListing.self)
        reminder = try member("reminder", ReminderNotice.self)
        reminders = try member("reminders", [ReminderRecord].self)
    }
}
