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
            case .cue(let kind, let due, let announced):
                "\(kind.rawValue)@\((due - base).components.seconds)" + (announced.map { "?\($0)" } ?? "")
            case .prepare(let due): "prepare@\((due - base).components.seconds)"
            case .sound(_, let due): "sound@\((due - base).components.seconds)"
            }
        }
    }

    @Test("an announced cue is confirmed at its time, replaced when it moved, and withdrawn otherwise")
    func announcedCues() {
        var queue = PlaybackQueue()
        queue.insertCue(.step, due: base + .seconds(1), announced: 4)
        queue.insertCue(.side, due: base + .seconds(1), announced: 5)
        queue.insertCue(.countdown, due: base + .seconds(3), announced: 6)
        #expect(describe(queue) == ["step@1?4", "side@1?5", "countdown@3?6"])
        // Confirmed a few ms off its announced time: the same cue, now certain, at the
        // announced instant.
        let confirmed = queue.confirm(index: 4, due: base + .seconds(1) + .milliseconds(3))
        #expect(confirmed)
        #expect(describe(queue) == ["step@1", "side@1?5", "countdown@3?6"])
        // Confirmed far from it (a skip made it due now): the announced one goes, and
        // the caller queues it at its new time.
        let moved = queue.confirm(index: 6, due: base)
        #expect(!moved)
        #expect(describe(queue) == ["step@1", "side@1?5"])
        let unknown = queue.confirm(index: 9, due: base)
        #expect(!unknown, "never announced")
        let withdrawn = queue.withdrawAnnounced()
        #expect(withdrawn == [base + .seconds(1)])
        #expect(describe(queue) == ["step@1"])
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
