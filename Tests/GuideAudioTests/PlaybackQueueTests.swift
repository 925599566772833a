@testable import GuideAudio
import GuideCore
import Testing

@Suite("PlaybackQueue")
struct PlaybackQueueTests {
    let base = SuspendingClock.now

    func describe(_ queue: PlaybackQueue) -> [String] {
        queue.items.map { item in
            switch item {
            case .begin: "begin"
            case .end: "end"
            case .release: "release"
            case .cue(let kind, let due): "\(kind.rawValue)@\((due - base).components.seconds)"
            case .prepare(let due): "prepare@\((due - base).components.seconds)"
            case .sound(_, let due): "sound@\((due - base).components.seconds)"
            }
        }
    }

    @Test("cues are kept in due order; equal instants keep scheduling order")
    func dueOrder() {
        var queue = PlaybackQueue()
        queue.insertCue(.step, due: base + .seconds(5))
        queue.insertCue(.countdown, due: base + .seconds(2))
        queue.insertCue(.side, due: base + .seconds(5))
        queue.insertCue(.start, due: base + .seconds(1))
        queue.insertCue(.end, due: base + .seconds(5))
        #expect(describe(queue) == ["start@1", "countdown@2", "step@5", "side@5", "end@5"])
    }

    @Test("a prepare hint sits before its cue by the open lead, and a new hint replaces the old")
    func prepareHints() {
        var queue = PlaybackQueue()
        queue.insertCue(.step, due: base + .seconds(5))
        queue.insertPrepare(cueDue: base + .seconds(5))
        #expect(describe(queue) == ["prepare@5", "step@5"])
        queue.insertPrepare(cueDue: base + .seconds(9))
        queue.insertCue(.side, due: base + .seconds(9))
        #expect(describe(queue) == ["step@5", "prepare@9", "side@9"])
    }

    @Test("session boundaries stay where they were requested")
    func boundaries() {
        var queue = PlaybackQueue()
        let palette = RenderedPalette.rendered(.standard, volume: 0.5, sampleRate: 8_000)
        queue.append(.begin(palette))
        queue.insertCue(.step, due: base + .seconds(3))
        queue.append(.end)
        queue.append(.begin(palette))
        // Earlier than the cue before `end`, but scheduled after it: it belongs to the next session.
        queue.insertCue(.start, due: base + .seconds(1))
        queue.insertCue(.countdown, due: base + .seconds(0))
        #expect(describe(queue) == ["begin", "step@3", "end", "begin", "countdown@0", "start@1"])
        #expect(queue.removeFirst().due == nil)
        #expect(queue.removeFirst().due == base + .seconds(3))
    }
}
