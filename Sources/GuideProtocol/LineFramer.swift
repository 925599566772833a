/// Splits a byte stream into newline-terminated lines with a cap on line length, so that
/// a peer can never make the other side buffer without bound.
public struct LineFramer: Sendable {
    /// docs/protocol.md, "Framing": at most 64 KiB a request line (the newline excluded).
    public static let maximumLineLength = 64 * 1024

    public enum Failure: Error, Equatable, Sendable {
        case lineTooLong
    }

    public let maximumLength: Int
    private var buffer: [UInt8] = []
    private var scanned = 0

    public init(maximumLength: Int = LineFramer.maximumLineLength) {
        self.maximumLength = maximumLength
    }

    /// Whether a partial line is waiting for its newline.
    public var hasPartialLine: Bool { !buffer.isEmpty }

    /// Adds bytes and returns the complete lines now available (without their `\n`,
    /// and without a `\r` before it). Throws once a line grows past the limit.
    public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(Failure) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var lines: [[UInt8]] = []
        var start = 0
        var i = scanned
        while i < buffer.count {
            if buffer[i] == 0x0A {
                var end = i
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                if end - start > maximumLength { throw .lineTooLong }
                lines.append(Array(buffer[start..<end]))
                start = i + 1
            }
            i += 1
        }
        if start > 0 { buffer.removeFirst(start) }
        scanned = buffer.count
        if buffer.count > maximumLength + 1 { throw .lineTooLong }
        return lines
    }
}
