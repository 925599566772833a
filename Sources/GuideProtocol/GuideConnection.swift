import GuideCore
#if canImport(Glibc)
import Glibc
#endif

/// A blocking connection to `guided`, used by guidectl and by tests.
///
/// Blocking on purpose: a CLI makes one or two requests and exits, and plain `connect`,
/// `write` and `poll` start faster and cost less than an event loop. Every read has a
/// timeout so a stuck daemon can never hang the caller. One connection is used from one
/// thread at a time; for many concurrent clients open many connections.
public final class GuideConnection {
    public let path: String
    private var fd: Int32
    // Requests are capped at 64 KiB by the daemon; replies may be longer (`show` of a
    // 500-step session is ~90 KB), so the client accepts lines up to 16 MiB.
    private var framer = LineFramer(maximumLength: 16 << 20)
    private var pending: [[UInt8]] = []
    private var nextID: Int64 = 1

    /// Connects to the daemon's socket.
    public init(path: String) throws(ClientError) {
        self.path = path
        if let problem = SocketPath.problem(with: path) { throw .unreachable(path: path, reason: problem) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            let error = SystemError.current()
            throw .unreachable(path: path, reason: error.description, errno: error.errno)
        }
        // SocketPath.problem has checked the length.
        let result = UnixSocketAddress(path: path)?.withSockaddr { connect(fd, $0, $1) } ?? -1
        if result != 0 {
            let error = SystemError.current()
            Glibc.close(fd)
            throw .unreachable(path: path, reason: error.description, errno: error.errno)
        }
        self.fd = fd
    }

    deinit { close() }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Sends `request` (with a fresh id unless it has one) and waits for its reply,
    /// setting aside any events that arrive first for ``nextEvent(timeout:)``.
    public func send(_ request: Request, timeout: Duration = .seconds(10)) throws(ClientError) -> Response {
        var request = request
        if request.id == nil {
            request.id = .number(nextID)
            nextID += 1
        }
        try writeAll(WireCoding.encodeLine(request))
        let deadline = ContinuousClock.now + timeout
        var setAside: [[UInt8]] = []
        defer { pending.insert(contentsOf: setAside, at: 0) }
        while true {
            let line = try readLine(deadline: deadline)
            if line.starts(with: Array(#"{"event""#.utf8)) {
                setAside.append(line)
                continue
            }
            do {
                let response = try WireCoding.decode(Response.self, from: line)
                if response.id == nil || response.id == request.id { return response }
            } catch {
                throw .badReply(String(decoding: line.prefix(200), as: UTF8.self))
            }
        }
    }

    /// The next event on a subscribed connection, or nil on timeout.
    public func nextEvent(timeout: Duration) throws(ClientError) -> Event? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let line: [UInt8]
            do {
                line = try readLine(deadline: deadline)
            } catch .timedOut {
                return nil
            }
            if let event = try? WireCoding.decode(Event.self, from: line) { return event }
        }
    }

    /// Tells the daemon this side will send nothing more (`shutdown(SHUT_WR)`), as
    /// `printf … | socat` does: replies still come, then the end of the stream.
    public func finishSending() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Writes raw bytes, for tests that send malformed input.
    public func writeAll(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .closed(path: path)
            }
            offset += n
        }
    }

    /// Reads one line (without its newline), waiting until `deadline`.
    public func readLine(deadline: ContinuousClock.Instant) throws(ClientError) -> [UInt8] {
        if !pending.isEmpty { return pending.removeFirst() }
        // Uninitialized: zero-filling 64 KiB cost every `guidectl status` a memset and 16 page
        // faults for a reply of a few hundred bytes.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { throw .timedOut(path: path) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(clamping: max(1, left.milliseconds))
            let ready = poll(&pfd, 1, ms)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .closed(path: path)
            }
            if ready == 0 { continue }
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .closed(path: path)
            }
            if n == 0 { throw .closed(path: path) }
            let lines: [[UInt8]]
            do {
                lines = try framer.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } catch {
                throw .badReply("a reply line longer than 16 MiB")
            }
            if !lines.isEmpty {
                pending.append(contentsOf: lines.dropFirst())
                return lines[0]
            }
        }
    }
}
