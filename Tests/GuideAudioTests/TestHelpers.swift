import Foundation
import GuideAudio
import GuideCore
import Logging
import Synchronization

/// Collects values delivered on another thread (the player's callbacks) and lets a test
/// await a condition on them instead of sleeping.
final class Collector<Element: Sendable>: Sendable {
    private struct Waiter {
        var predicate: @Sendable ([Element]) -> Bool
        var continuation: CheckedContinuation<[Element], any Error>
        var id: Int
    }

    private struct State: ~Copyable {
        var items: [Element] = []
        var waiters: [Waiter] = []
        var nextID = 0
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    private let state = Mutex(State())

    var items: [Element] { state.withLock { $0.items } }

    func append(_ item: Element) {
        let ready: [(Waiter, [Element])] = state.withLock { state in
            state.items.append(item)
            var ready: [(Waiter, [Element])] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(state.items) else { return false }
                ready.append((waiter, state.items))
                return true
            }
            return ready
        }
        for (waiter, items) in ready {
            waiter.continuation.resume(returning: items)
        }
    }

    /// The items once `predicate` holds for them; throws after `timeout`.
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(10), _ predicate: @escaping @Sendable ([Element]) -> Bool) async throws -> [Element] {
        try await withCheckedThrowingContinuation { continuation in
            let id: Int? = state.withLock { state in
                if predicate(state.items) {
                    continuation.resume(returning: state.items)
                    return nil
                }
                state.nextID += 1
                state.waiters.append(Waiter(predicate: predicate, continuation: continuation, id: state.nextID))
                return state.nextID
            }
            guard let id else { return }
            Task {
                try? await Task.sleep(for: timeout)
                let waiter: Waiter? = self.state.withLock { state in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                waiter?.continuation.resume(throwing: Timeout(description: "condition not met within \(timeout); have \(self.items)"))
            }
        }
    }

    @discardableResult
    func waitForCount(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Element] {
        try await waitUntil(timeout: timeout) { $0.count >= count }
    }
}

/// A swift-log handler that keeps what it was given, to check what the player logs.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let entries: Collector<Entry>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        entries.append(Entry(
            level: event.level, message: "\(event.message)",
            metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
    }
}

extension Logger {
    /// A logger that records into `entries` (and prints nothing).
    static func recording(_ entries: Collector<RecordingLogHandler.Entry>) -> Logger {
        Logger(label: "guide.audio.test") { _ in RecordingLogHandler(entries: entries) }
    }

    /// A logger that drops everything.
    static var quiet: Logger {
        Logger(label: "guide.audio.test") { _ in SwiftLogNoOpLogHandler() }
    }
}

/// A unique path in /tmp for a raw capture, removed by `remove()`.
struct TemporaryRawFile {
    let path: String

    init(_ name: String = #function) {
        let cleaned = name.filter { $0.isLetter || $0.isNumber }
        path = "/tmp/guide-audio-\(getpid())-\(cleaned)-\(UInt32.random(in: 0...UInt32.max)).raw"
    }

    /// The ALSA PCM that writes raw S16_LE samples to this file.
    var device: String { "file:'\(path)',raw" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A failure with a fixed text, for sinks told to fail.
struct SinkFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// The samples a `CueKind` renders to in the standard palette at `volume`.
func standardSamples(_ kind: CueKind, volume: Double = CueSounds.defaultVolume, sampleRate: Int = 48_000) -> [Int16] {
    RenderedPalette.rendered(.standard, volume: volume, sampleRate: sampleRate).samples(for: kind)
}
