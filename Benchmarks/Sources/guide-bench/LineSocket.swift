import Foundation
import Glibc

/// A blocking Unix-socket client that speaks lines: enough for guided's NDJSON and
/// mpd's text protocol, without the project's own client (the benchmark measures the
/// daemon, not the client library).
final class LineSocket {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        guard LineSocket.connect(fd, path) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw BenchError("cannot connect to \(path): \(reason)")
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    static func connect(_ fd: Int32, _ path: String) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// Whether something accepts connections on `path` right now.
    static func accepts(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { Glibc.close(fd) }
        return connect(fd, path) == 0
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BenchError("send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// The next line (without its newline); waits at most `timeout` seconds.
    func readLine(timeout: Double = 10) throws -> String {
        let deadline = Monotonic.now() + Int64(timeout * 1e9)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = Int((deadline - Monotonic.now()) / 1_000_000)
            if left <= 0 { throw BenchError("timed out waiting for a line") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(Swift.min(left, 60_000)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw BenchError("connection closed") }
            buffer.append(contentsOf: scratch[0..<n])
        }
    }

    /// One guided request: sends a JSON line, returns the decoded reply object.
    func request(_ json: String) throws -> [String: Any] {
        try send(json + "\n")
        while true {
            let line = try readLine()
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw BenchError("not a JSON object: \(line.prefix(200))")
            }
            if object["event"] == nil { return object }
        }
    }

    /// Round trip for the RTT loop: sends `request` and reads until the reply is complete,
    /// which `complete` decides from the bytes read so far (no parsing, no allocation).
    @inline(__always)
    func roundTrip(_ request: [UInt8], complete: (UnsafeBufferPointer<UInt8>) -> Bool) throws {
        let sent = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw BenchError("short send") }
        var used = 0
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + used, $0.count - used, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BenchError("connection closed during round trip") }
            used += n
            let done = scratch.withUnsafeBufferPointer { complete(UnsafeBufferPointer(rebasing: $0[0..<used])) }
            if done { return }
            guard used < scratch.count else { throw BenchError("reply larger than 64 KiB") }
        }
    }
}
