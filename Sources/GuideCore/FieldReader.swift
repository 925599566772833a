/// Reads the fields of one JSON object for ``SessionDecoder``, building the JSON path of
/// every message. Unknown keys are reported before anything else, with the nearest known
/// name, because a typo such as `"duraton"` must not silently do nothing.
struct FieldReader {
    let path: String
    private let members: [(key: String, value: JSONValue)]

    init(_ value: JSONValue, path: String, known: [String]) throws {
        guard case .object(let members) = value else {
            throw FieldError(path: path.isEmpty ? "(top level)" : path, message: "\(value.found) is not an object (use { … })")
        }
        self.path = path
        self.members = members
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            var hint = "known fields here: " + known.joined(separator: ", ")
            if let near = Spelling.nearest(to: unknown.key, in: known) { hint = "did you mean \"\(near)\"? " + hint }
            throw FieldError(path: fieldPath(Self.printable(unknown.key)), message: "unknown field (\(hint))")
        }
    }

    /// An unknown key as it can appear in a path: as written when it is short and printable,
    /// otherwise quoted, escaped and clipped (`"ti\ntle"`), so that the error stays one
    /// readable line (found by Fuzz/run.sh session; Fuzz/regressions/session/unknown-key-newline).
    static func printable(_ key: String) -> String {
        let plain = key.utf8.count <= 64 && !key.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        return plain ? key : JSONValue.string(key).found
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func string(_ key: String, required: Bool = false, maxLength: Int) throws -> String? {
        guard let value = value(key) else {
            if required { throw FieldError(path: fieldPath(key), message: "is missing (a text is required)") }
            return nil
        }
        guard case .string(let s) = value else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is not a text (use \"…\")")
        }
        if required, s.allSatisfy(\.isWhitespace) {
            throw FieldError(path: fieldPath(key), message: "is empty (write a short text)")
        }
        if s.count > maxLength {
            throw FieldError(path: fieldPath(key), message: "is \(s.count) characters long; at most \(maxLength) are allowed")
        }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let b) = value else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is not true or false")
        }
        return b
    }

    func number(_ key: String, in range: ClosedRange<Double>, required: Bool = false) throws -> Double? {
        guard let value = value(key) else {
            if required { throw FieldError(path: fieldPath(key), message: "is missing (a number is required)") }
            return nil
        }
        let allowed = "a number from \(JSONValue.format(range.lowerBound)) to \(JSONValue.format(range.upperBound))"
        guard case .number(let n) = value else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is not a number (use \(allowed))")
        }
        guard range.contains(n) else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is out of range (use \(allowed))")
        }
        return n
    }

    func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) throws -> Int? {
        guard let value = value(key) else {
            if required { throw FieldError(path: fieldPath(key), message: "is missing (a whole number is required)") }
            return nil
        }
        let allowed = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let n) = value, n == n.rounded() else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is not a whole number (use \(allowed))")
        }
        guard n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is out of range (use \(allowed))")
        }
        return Int(n)
    }

    /// A duration field: a number of seconds or a duration string, within `range`.
    func duration(_ key: String, in range: ClosedRange<Duration>) throws -> Duration? {
        guard let value = value(key) else { return nil }
        let limits = "from \(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
        let parsed: Duration?
        switch value {
        case .number(let n): parsed = DurationText.seconds(n)
        case .string(let s): parsed = DurationText.parse(s)
        default: parsed = nil
        }
        guard let duration = parsed else {
            throw FieldError(path: fieldPath(key), message: "\(value.found) is not a duration (\(DurationText.hint))")
        }
        guard range.contains(duration) else {
            let what = duration <= .zero ? "must be positive" : "is out of range"
            throw FieldError(path: fieldPath(key), message: "\(value.found) \(what) (a duration \(limits) is allowed)")
        }
        return duration
    }
}
