import Foundation

/// The JSON encoder and decoder for replies and events, configured once: compact output
/// with sorted keys so that lines are stable, and one line each.
public enum WireCoding {
    public static func encodeLine<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8]((try? encoder.encode(value)) ?? Data(#"{"ok":false,"error":{"code":"internal","message":"could not encode the reply"}}"#.utf8))
        bytes.append(0x0A)
        return bytes
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(line))
    }
}
