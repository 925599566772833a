#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON encoder and decoder for replies and events, configured once: compact output
/// with sorted keys so that lines are stable, and one line each.
///
/// Decoding goes through GuideCore's parser (``WireDecoder``), and a ``Request`` is
/// written by hand (the `encodeLine` overload for it) with exactly the bytes `JSONEncoder`
/// writes: both avoid the dynamic casts that make the first use of `JSONEncoder` and
/// `JSONDecoder` in a fresh process slow, which every `guidectl` command paid.
public enum WireCoding {
    public static func encodeLine<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8]((try? encoder.encode(value)) ?? Data(#"{"ok":false,"error":{"code":"internal","message":"could not encode the reply"}}"#.utf8))
        bytes.append(0x0A)
        return bytes
    }

    /// A request line, byte for byte what the generic ``encodeLine(_:)`` (`JSONEncoder`
    /// with sorted keys, slashes unescaped) writes for it.
    public static func encodeLine(_ request: Request) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        // Keys in sorted order, as JSONEncoder's .sortedKeys writes them.
        if let amount = request.amount {
            out.append(contentsOf: #"{"amount":"#.utf8)
            appendString(amount, to: &out)
            out.append(contentsOf: #","command":"#.utf8)
        } else {
            out.append(contentsOf: #"{"command":"#.utf8)
        }
        appendString(request.command.rawValue, to: &out)
        if let duration = request.duration {
            out.append(contentsOf: #","duration":"#.utf8)
            appendString(duration, to: &out)
        }
        if let id = request.id {
            out.append(contentsOf: #","id":"#.utf8)
            switch id {
            case .number(let n): out.append(contentsOf: String(n).utf8)
            case .string(let s): appendString(s, to: &out)
            }
        }
        if let limit = request.limit {
            out.append(contentsOf: #","limit":"#.utf8)
            out.append(contentsOf: String(limit).utf8)
        }
        if let quiet = request.quiet {
            out.append(contentsOf: #","quiet":"#.utf8)
            appendString(quiet, to: &out)
        }
        if let reminder = request.reminder {
            out.append(contentsOf: #","reminder":"#.utf8)
            appendString(reminder, to: &out)
        }
        if let replace = request.replace {
            out.append(contentsOf: #","replace":"#.utf8)
            out.append(contentsOf: (replace ? "true" : "false").utf8)
        }
        if let session = request.session {
            out.append(contentsOf: #","session":"#.utf8)
            appendString(session, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// `s` as a JSON string the way `JSONEncoder` escapes it: `"` and `\`, `\b \t \n \f \r`,
    /// other control characters as `\u00xx`; everything else (`/`, DEL, non-ASCII) as is.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// A nibble as a lower-case hex digit, as JSONEncoder writes `\u00xx`.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: [UInt8]) throws -> T {
        try WireDecoder.decode(type, from: line)
    }
}
