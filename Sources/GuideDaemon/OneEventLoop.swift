import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// guided runs on a single NIO event loop: the socket, every connection, the engine (an
/// actor whose executor is that loop) and its timers, and Swift's other tasks
/// (``GlobalExecutorTakeover``). With more loops (NIO_SINGLETON_GROUP_LOOP_COUNT), the
/// engine and the server still share one of them (``Engine/loop``).
///
/// Why: NIO's singleton group has one loop per core, and a connection accepted on one loop
/// is served on the next, so each `guidectl status` paid two thread hand-offs (eventfd
/// wake-ups) before its first byte was read: 342 µs per new connection against 247 µs
/// with one loop, and mpd's 218 µs, in one interleaved run. A daemon that answers a few
/// requests a minute does not need a second loop, and each is a thread and a stack. Cue
/// timing does not depend on it: the player has a thread of its own.
public enum OneEventLoop {
    /// Call before anything touches `MultiThreadedEventLoopGroup.singleton`. NIO's
    /// `NIO_SINGLETON_GROUP_LOOP_COUNT`, if set, still wins.
    public static func configure() {
        guard getenv("NIO_SINGLETON_GROUP_LOOP_COUNT") == nil else { return }
        NIOSingletons.groupLoopCountSuggestion = 1
    }
}
