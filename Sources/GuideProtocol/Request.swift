import GuideCore

/// One request line: `{"id": 7, "command": "start", "session": "cooldown", "replace": false}`.
public struct Request: Sendable, Equatable {
    public var id: RequestID?
    public var command: Command
    /// For `start` and `show`.
    public var session: String?
    /// For `start`: replace a running session instead of answering `busy`.
    public var replace: Bool?
    /// For `history`: how many entries, newest last.
    public var limit: Int?
    /// For `done` and `snooze`: the reminder (default: the one that sounded last).
    public var reminder: String?
    /// For `done`: what was drunk, `250ml` / `0.3l` (default: the reminder's `intake`).
    public var amount: String?
    /// For `snooze`: for how long, `10m` (the default).
    public var duration: String?
    /// For `quiet`: `45m`, `until 22:00` or `off`.
    public var quiet: String?

    public init(id: RequestID? = nil, command: Command, session: String? = nil, replace: Bool? = nil, limit: Int? = nil) {
        self.id = id
        self.command = command
        self.session = session
        self.replace = replace
        self.limit = limit
    }

    /// The fields a request may have; anything else is an error (a typo must not be ignored).
    static let fields = ["id", "command", "session", "replace", "limit", "reminder", "amount", "duration", "quiet"]

    /// Parses one line strictly, with an error that says what is wrong and how to fix it.
    /// The `id`, when it could be read, is returned with the error so the reply can carry it.
    public static func parse<Bytes: Collection<UInt8>>(line: Bytes) -> Result<Request, RequestParseError> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .failure(RequestParseError(id: nil, error: ProtocolError(.invalidRequest, "malformed JSON at column \(error.column): \(error.message)")))
        }
        return parse(value)
    }

    /// A parsed request line, checked as strictly as ``parse(line:)`` checks it.
    public static func parse(_ value: JSONValue) -> Result<Request, RequestParseError> {
        guard case .object(let members) = value else {
            return .failure(RequestParseError(id: nil, error: ProtocolError(.invalidRequest, "a request is a JSON object, e.g. {\"command\": \"status\"}")))
        }
        // One pass over the members, each field into its slot (the first of a repeated key,
        // as `value[key]` finds it); then the checks in the order they have always run.
        var idValue, commandValue, sessionValue, replaceValue, limitValue: JSONValue?
        var reminderValue, amountValue, durationValue, quietValue: JSONValue?
        var unknownKey: String?
        for (key, member) in members {
            switch key {
            case "id": idValue = idValue ?? member
            case "command": commandValue = commandValue ?? member
            case "session": sessionValue = sessionValue ?? member
            case "replace": replaceValue = replaceValue ?? member
            case "limit": limitValue = limitValue ?? member
            case "reminder": reminderValue = reminderValue ?? member
            case "amount": amountValue = amountValue ?? member
            case "duration": durationValue = durationValue ?? member
            case "quiet": quietValue = quietValue ?? member
            default: unknownKey = unknownKey ?? key
            }
        }
        var id: RequestID?
        switch idValue {
        case nil, .null?: id = nil
        case .number(let n)? where n == n.rounded() && abs(n) < 9e15: id = .number(Int64(n))
        case .string(let s)?: id = .string(s)
        case let other?:
            return .failure(RequestParseError(id: nil, error: ProtocolError(.invalidRequest, "\"id\" must be a whole number or a string, not \(other.found)")))
        }
        func fail(_ code: ErrorCode, _ message: String) -> Result<Request, RequestParseError> {
            .failure(RequestParseError(id: id, error: ProtocolError(code, message)))
        }
        if let unknownKey {
            return fail(.invalidRequest, "unknown field \(JSONValue.quoted(unknownKey)) (fields: \(fields.joined(separator: ", ")))")
        }
        guard let commandValue else {
            return fail(.invalidRequest, "missing \"command\" (one of: \(Command.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard case .string(let commandName) = commandValue else {
            return fail(.invalidRequest, "\"command\" must be a string, not \(commandValue.found)")
        }
        guard let command = Command(rawValue: commandName) else {
            var message = "unknown command \(JSONValue.quoted(commandName))"
            if let near = Spelling.nearest(to: commandName, in: Command.allCases.map(\.rawValue)) {
                message += " (did you mean \"\(near)\"?)"
            }
            return fail(.unknownCommand, message + "; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var request = Request(id: id, command: command)
        switch sessionValue {
        case nil, .null?: break
        case .string(let s)?: request.session = s
        case let other?: return fail(.invalidRequest, "\"session\" must be a string, not \(other.found)")
        }
        switch replaceValue {
        case nil, .null?: break
        case .bool(let b)?: request.replace = b
        case let other?: return fail(.invalidRequest, "\"replace\" must be true or false, not \(other.found)")
        }
        switch limitValue {
        case nil, .null?: break
        case .number(let n)? where n == n.rounded() && n >= 1 && n <= 100_000: request.limit = Int(n)
        case let other?: return fail(.invalidRequest, "\"limit\" must be a whole number from 1 to 100000, not \(other.found)")
        }
        // (The reminder commands' fields; most requests have none, and skip the list.)
        for (key, slot, field) in reminderValue == nil && amountValue == nil && durationValue == nil && quietValue == nil ? [] : [
            ("reminder", reminderValue, \Request.reminder), ("amount", amountValue, \.amount),
            ("duration", durationValue, \.duration), ("quiet", quietValue, \.quiet),
        ] as [(String, JSONValue?, WritableKeyPath<Request, String?>)] {
            switch slot {
            case nil, .null?: continue
            case .string(let s)? where s.utf8.count <= 200: request[keyPath: field] = s
            case let other?: return fail(.invalidRequest, "\"\(key)\" must be a short string, not \(other.found)")
            }
        }
        if command.needsSession, request.session == nil {
            return fail(.invalidRequest, "\"\(command.rawValue)\" needs \"session\", e.g. {\"command\": \"\(command.rawValue)\", \"session\": \"cooldown\"}")
        }
        return .success(request)
    }
}

/// A request line: keys in byte order, absent fields left out. Read back with the daemon's
/// strict rules (unknown fields and wrong types are errors, not ignored).
extension Request: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("amount", amount)
        w.field("command", command)
        w.fieldIfPresent("duration", duration)
        w.fieldIfPresent("id", id)
        w.fieldIfPresent("limit", limit)
        w.fieldIfPresent("quiet", quiet)
        w.fieldIfPresent("reminder", reminder)
        w.fieldIfPresent("replace", replace)
        w.fieldIfPresent("session", session)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        switch Request.parse(value) {
        case .success(let request): self = request
        case .failure(let failure): throw WireValueError(failure.error.message)
        }
    }
}

/// A request line that could not be used, with whatever `id` could be read from it.
public struct RequestParseError: Error, Sendable {
    public var id: RequestID?
    public var error: ProtocolError
}
