/// Reading a ``Status`` straight from a parsed JSON value, without `Codable`.
///
/// Same verdicts and values as `Status(from:)` through `JSONDecoder` (a test compares
/// them on every field removed, `null` or of the wrong type): optional fields may be
/// missing or `null`, required ones may not; numbers must be whole for `Int`. Why:
/// `Codable` instantiates generic containers for every type it decodes, and in a fresh
/// process each costs a scan of the binary's protocol conformances — most of what a
/// `guidectl status` spent decoding the reply.
public struct WireValueError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Typed access to the members of a JSON object, with `JSONDecoder`'s rules.
public struct WireObject {
    let members: [(key: String, value: JSONValue)]

    public init(_ value: JSONValue, _ what: String) throws(WireValueError) {
        guard case .object(let members) = value else { throw WireValueError("\(what) is not an object") }
        self.members = members
    }

    /// The value of `key`, nil when missing or `null` (the last one when a key repeats).
    public func optional(_ key: String) -> JSONValue? {
        switch members.last(where: { $0.key == key })?.value {
        case nil, .null?: nil
        case let value?: value
        }
    }

    public func required(_ key: String) throws(WireValueError) -> JSONValue {
        guard let value = optional(key) else { throw WireValueError("\"\(key)\" is missing or null") }
        return value
    }

    public static func string(_ value: JSONValue, _ key: String) throws(WireValueError) -> String {
        guard case .string(let s) = value else { throw WireValueError("\"\(key)\" is not a string") }
        return s
    }

    public static func bool(_ value: JSONValue, _ key: String) throws(WireValueError) -> Bool {
        guard case .bool(let b) = value else { throw WireValueError("\"\(key)\" is not true or false") }
        return b
    }

    public static func double(_ value: JSONValue, _ key: String) throws(WireValueError) -> Double {
        guard case .number(let n) = value else { throw WireValueError("\"\(key)\" is not a number") }
        return n
    }

    public static func int(_ value: JSONValue, _ key: String) throws(WireValueError) -> Int {
        guard case .number(let n) = value, n == n.rounded(), let i = Int(exactly: n) else {
            throw WireValueError("\"\(key)\" is not a whole number")
        }
        return i
    }

    public func string(_ key: String) throws(WireValueError) -> String { try Self.string(required(key), key) }
    public func bool(_ key: String) throws(WireValueError) -> Bool { try Self.bool(required(key), key) }
    public func double(_ key: String) throws(WireValueError) -> Double { try Self.double(required(key), key) }
    public func int(_ key: String) throws(WireValueError) -> Int { try Self.int(required(key), key) }

    public func optionalString(_ key: String) throws(WireValueError) -> String? {
        guard let value = optional(key) else { return nil }
        return try Self.string(value, key)
    }

    public func optionalBool(_ key: String) throws(WireValueError) -> Bool? {
        guard let value = optional(key) else { return nil }
        return try Self.bool(value, key)
    }

    public func optionalDouble(_ key: String) throws(WireValueError) -> Double? {
        guard let value = optional(key) else { return nil }
        return try Self.double(value, key)
    }

    public func optionalInt(_ key: String) throws(WireValueError) -> Int? {
        guard let value = optional(key) else { return nil }
        return try Self.int(value, key)
    }

    func side(_ key: String) throws(WireValueError) -> Side? {
        guard let text = try optionalString(key) else { return nil }
        guard let side = Side(rawValue: text) else { throw WireValueError("\"\(key)\" is not a side") }
        return side
    }
}

extension Status {
    /// The status in `value`, as `Status(from:)` would decode it from the same JSON.
    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value, "status")
        guard let state = State(rawValue: try o.string("state")) else { throw WireValueError("\"state\" is unknown") }
        var step: StepStatus?
        if let value = o.optional("step") {
            let s = try WireObject(value, "step")
            step = StepStatus(
                index: try s.int("index"), count: try s.int("count"), name: try s.string("name"), side: try s.side("side"),
                rest: try s.bool("rest"), duration: try s.double("duration"), remaining: try s.double("remaining"),
                instructions: try s.optionalString("instructions"))
        }
        var round: RoundStatus?
        if let value = o.optional("round") {
            let r = try WireObject(value, "round")
            round = RoundStatus(index: try r.int("index"), count: try r.int("count"))
        }
        var next: NextStatus?
        if let value = o.optional("next") {
            let n = try WireObject(value, "next")
            next = NextStatus(name: try n.string("name"), side: try n.side("side"), duration: try n.double("duration"))
        }
        var audio: AudioStatus?
        if let value = o.optional("audio") {
            let a = try WireObject(value, "audio")
            audio = AudioStatus(device: try a.string("device"), ok: try a.bool("ok"), error: try a.optionalString("error"))
        }
        self.init(
            state: state, session: try o.optionalString("session"), title: try o.optionalString("title"), step: step,
            round: round, elapsed: try o.optionalDouble("elapsed") ?? 0, remaining: try o.optionalDouble("remaining") ?? 0,
            total: try o.optionalDouble("total") ?? 0, next: next, audio: audio, startedAt: try o.optionalString("startedAt"),
            restored: try o.optionalBool("restored") ?? false)
        pauseReason = try o.optionalString("pauseReason")
        if let value = o.optional("reminders") {
            let r = try WireObject(value, "reminders")
            var next: ReminderStatus.Next?
            if let value = r.optional("next") {
                let n = try WireObject(value, "next")
                next = .init(name: try n.string("name"), text: try n.string("text"), at: try n.string("at"))
            }
            guard case .array(let items) = try r.required("waiting") else { throw WireValueError("\"waiting\" is not an array") }
            var waiting: [String] = []
            for item in items { waiting.append(try WireObject.string(item, "waiting")) }
            reminders = ReminderStatus(next: next, waiting: waiting)
        }
    }
}
