import GuideCore

/// A request's `id`, echoed in its reply so that clients can match them: a number or a string.
public enum RequestID: WireCodable, Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init(wire value: JSONValue) throws(WireValueError) {
        switch value {
        case .string(let s): self = .string(s)
        case .number: self = .number(try Int64(wire: value))
        default: throw WireValueError("is not a whole number or a string")
        }
    }

    public func encode(to w: inout JSONWriter) {
        switch self {
        case .number(let n): w.integer(n)
        case .string(let s): w.string(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): "\(n)"
        case .string(let s): s
        }
    }
}
