#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuideCore

/// The low real-time priority (SCHED_RR 10) of whatever feeds an open device, as MPD gives
/// its output thread: on a busy machine a thread of normal priority can be kept off the
/// CPU long enough for a stream to run dry (a sound server then inserts silence and moves
/// every queued cue) or to wake tens of milliseconds after a cue was due.
///
/// That is the playback thread while it holds a device, and also the threads a sound library starts for the
/// stream inside guided: PulseAudio's plugin runs libpulse's main loop (`threaded-ml`),
/// which takes the server's requests for more samples; at normal priority, starved, it
/// let the stream run dry although the playback thread had samples ready. (PipeWire's
/// plugin makes its own data thread real-time; a thread already above normal priority
/// is left as it is.) Where real-time priority is not allowed (no RLIMIT_RTPRIO) nothing
/// changes.
enum PlaybackPriority {
    static let realTime: Int32 = 10

    /// Raises (or lowers back) the calling thread.
    static func setCurrentThread(realTime on: Bool) {
        var parameters = sched_param()
        parameters.sched_priority = on ? realTime : 0
        _ = pthread_setschedparam(pthread_self(), on ? Int32(SCHED_RR) : Int32(SCHED_OTHER), &parameters)
    }

    /// The ids of the process's threads now.
    static func threadIDs() -> Set<Int32> {
        let names = (try? DirectoryEntries.names(in: "/proc/self/task").get()) ?? []
        return Set(names.compactMap { Int32($0) })
    }

    /// Gives the threads started since `before` that run at normal priority the playback
    /// thread's real-time priority — those a sound library started while the device was
    /// opened. guide's own threads (named `guide-…`, and NIO's) are left alone: one of
    /// them may have started in that moment too. They end with the stream, so nothing
    /// needs lowering afterwards.
    static func raiseThreads(startedSince before: Set<Int32>) {
        for id in threadIDs().subtracting(before) {
            let name = threadName(id)
            guard !name.hasPrefix("guide-"), !name.hasPrefix("NIO-"), sched_getscheduler(id) == SCHED_OTHER else { continue }
            var parameters = sched_param()
            parameters.sched_priority = realTime
            _ = sched_setscheduler(id, SCHED_RR, &parameters)
        }
    }

    private static func threadName(_ id: Int32) -> String {
        let fd = open("/proc/self/task/\(id)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return "" }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
