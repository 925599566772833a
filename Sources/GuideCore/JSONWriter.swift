/// The one JSON writer of guide: compact UTF-8 bytes, appended in place, for every wire
/// type (``WireEncodable``) — replies, events, requests, history lines.
///
/// Why by hand rather than `JSONEncoder`: a `status` reply is written on the daemon's
/// event loop for every request, and `JSONEncoder` (boxing every value, sorting keys at
/// run time, dynamic casts whose first use scans the binary's conformance records) cost
/// several times the whole reply; this writer appends bytes and nothing else.
///
/// Keys are written in the order the caller writes them; wire types write them sorted
/// (byte order), which is the form lines have always had (`JSONEncoder` with
/// `.sortedKeys`), so that lines are stable and old history lines compare equal.
/// Strings are escaped as `JSONEncoder` escapes them; `/` and non-ASCII are left as is.
/// Numbers are the shortest form that reads back to the same `Double`, without `.0`.
public struct JSONWriter: Sendable {
    /// What has been written so far.
    public var bytes: [UInt8]
    /// Cleared by a number JSON cannot carry (NaN, ±infinity); the output is then not to
    /// be sent (written as `null` so that it stays well-formed).
    public private(set) var isValid = true
    /// Whether the next key or value needs a `,` before it.
    @usableFromInline var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    @inlinable public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    @inlinable public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    @inlinable public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    @inlinable public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `"name":`; `name` is a plain ASCII identifier, written without escaping.
    @inlinable public mutating func key(_ name: StaticString) {
        if needsComma {
            bytes.append(UInt8(ascii: ","))
            needsComma = false
        }
        // Single bytes around the name: a bulk append of one or two bytes costs more than
        // the bytes themselves (a `status` reply writes some twenty keys).
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Bytes as they are, e.g. a literal; no separator.
    @inlinable mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"name":value`; an optional that is nil is written as `null`.
    @inlinable public mutating func field<Value: WireEncodable>(_ name: StaticString, _ value: Value) {
        key(name)
        value.encode(to: &self)
    }

    /// `"name":value`, or nothing at all when `value` is nil.
    @inlinable public mutating func fieldIfPresent<Value: WireEncodable>(_ name: StaticString, _ value: Value?) {
        guard let value else { return }
        key(name)
        value.encode(to: &self)
    }

    @inlinable mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    public mutating func null() {
        separate()
        raw("null")
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        if value { raw("true") } else { raw("false") }
        needsComma = true
    }

    public mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
        needsComma = true
    }

    /// The shortest form that reads back to `value` (Swift's `description`), without a
    /// trailing `.0`: `30`, `12.25`, `1e-07`, `1e+21`.
    public mutating func number(_ value: Double) {
        guard value.isFinite else {
            isValid = false
            null()
            return
        }
        // Whole numbers below 10^15 (every elapsed, remaining and total a status carries)
        // are their digits, which is what `description` gives without its `.0`; -0 keeps
        // its sign through `description`.
        if value.rounded(.towardZero) == value, value.magnitude < 1e15, !(value == 0 && value.sign == .minus) {
            integer(Int64(value))
            return
        }
        separate()
        var text = value.description
        text.withUTF8 { utf8 in
            let count = utf8.count
            let whole = count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0")
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<(whole ? count - 2 : count)]))
        }
        needsComma = true
    }

    /// `value` as a JSON string: `"` and `\`, `\b \t \n \f \r`, other control characters as
    /// `\u00xx`; everything else (`/`, DEL, non-ASCII) as is.
    public mutating func string(_ value: String) {
        separate()
        bytes.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            // Runs of bytes that need no escape (nearly all of them) are copied at once.
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                escape(byte)
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(0x22)
        needsComma = true
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x08: raw("\\b")
        case 0x09: raw("\\t")
        case 0x0A: raw("\\n")
        case 0x0C: raw("\\f")
        case 0x0D: raw("\\r")
        default:
            raw("\\u00")
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    /// A nibble as a lower-case hex digit.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
