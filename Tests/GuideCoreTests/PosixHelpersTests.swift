import GuideCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// guide's one POSIX layer: one way to start a thread, one errno text, one `sockaddr_un`,
/// one monotonic clock.
@Suite struct PosixHelpersTests {
    @Test func aNamedThreadRunsItsBodyUnderItsName() {
        let seen = Mutex<String?>(nil)
        let thread = try? NamedThread.start("guide-testname", detached: false) {
            var buffer = [UInt8](repeating: 0, count: 64)
            let fd = open("/proc/thread-self/comm", O_RDONLY)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            close(fd)
            seen.withLock { $0 = String(decoding: buffer[0..<max(0, count)].prefix { $0 != 0x0A }, as: UTF8.self) }
        }
        #expect(thread?.handle != nil)
        thread?.join()
        #expect(seen.withLock { $0 } == "guide-testname")
    }

    @Test func aSystemErrorComparesByNumberAndReadsAsStrerror() {
        errno = ENOENT
        let error = SystemError.current()
        #expect(error == SystemError(errno: ENOENT))
        #expect(error.description == "No such file or directory")
        #expect("\(SystemError(errno: ECONNREFUSED))" == "Connection refused")
    }

    @Test func aUnixSocketAddressHoldsThePathOrRefusesALongOne() {
        let address = UnixSocketAddress(path: "/run/user/1000/guide/socket")
        let filled = address?.withSockaddr { pointer, length -> (Int32, String, socklen_t) in
            pointer.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { un in
                let path = withUnsafeBytes(of: un.pointee.sun_path) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                return (Int32(un.pointee.sun_family), path, length)
            }
        }
        #expect(filled?.0 == AF_UNIX)
        #expect(filled?.1 == "/run/user/1000/guide/socket")
        #expect(filled?.2 == socklen_t(MemoryLayout<sockaddr_un>.size))
        #expect(UnixSocketAddress(path: String(repeating: "x", count: UnixSocketAddress.maximumPathLength)) != nil)
        #expect(UnixSocketAddress(path: String(repeating: "x", count: UnixSocketAddress.maximumPathLength + 1)) == nil)
        #expect(UnixSocketAddress(path: "") == nil)
        // systemd's abstract NOTIFY_SOCKET: "@name" is a NUL and the name, no terminator.
        let abstractLength = UnixSocketAddress(path: "@notify")?.withSockaddr { $1 }
        #expect(abstractLength == socklen_t(MemoryLayout<sa_family_t>.size + 7))
    }

    @Test func theMonotonicClockIsSuspendingClocksTime() {
        let before = SuspendingClock.now
        let reading = MonotonicTime.duration()
        let nanoseconds = MonotonicTime.nanoseconds()
        #expect(nanoseconds >= reading.components.seconds * 1_000_000_000)
        #expect(SuspendingClock.now >= before)
        #expect(MonotonicTime.duration(CLOCK_BOOTTIME) >= reading)
    }
}
