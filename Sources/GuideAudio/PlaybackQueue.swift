import GuideCore

/// One thing for the playback thread to do.
enum PlaybackItem: Sendable {
    /// A session starts: use this palette and open the device.
    case begin(RenderedPalette)
    /// Play `kind` at `due`.
    case cue(CueKind, due: SuspendingClock.Instant)
    /// The session is over: once the cues queued before this have played, release the device.
    case end
    /// A reminder's own sound (samples rendered by the caller) at `due`, beside any session.
    case sound([Int16], due: SuspendingClock.Instant)
    /// Nothing is due for now (the session is paused): once the cues queued before this
    /// have played, release the device; the next cue or `prepare` opens it again.
    case release
    /// A cue is expected at `cueDue`: have the device open by then (it may have been
    /// released while the session waited). Acted on at `cueDue − openLead`.
    case prepare(cueDue: SuspendingClock.Instant)

    /// When the playback thread should act on the item; nil for "as soon as it is first".
    var due: SuspendingClock.Instant? {
        switch self {
        case .cue(_, let due), .sound(_, let due): due
        case .prepare(let cueDue): cueDue - PlaybackWorker.openLead
        case .begin, .end, .release: nil
        }
    }
}

/// The playback thread's to-do list. Session boundaries keep the order in which they
/// were requested; between two boundaries cues are kept in due order, and cues for the
/// same instant in the order they were scheduled (so they play back to back, as asked).
///
/// A plain value: `CuePlayer` guards it with its condition's lock.
struct PlaybackQueue {
    private(set) var items: [PlaybackItem] = []

    var first: PlaybackItem? { items.first }
    var isEmpty: Bool { items.isEmpty }

    /// Queues a session boundary after everything already queued.
    mutating func append(_ item: PlaybackItem) {
        items.append(item)
    }

    /// Queues a cue at its place by due time, after the last session boundary.
    mutating func insertCue(_ kind: CueKind, due: SuspendingClock.Instant) {
        insertTimed(.cue(kind, due: due), due: due)
    }

    /// Queues a reminder's sound at its place by due time, as a cue.
    mutating func insertSound(_ samples: [Int16], due: SuspendingClock.Instant) {
        insertTimed(.sound(samples, due: due), due: due)
    }

    private mutating func insertTimed(_ item: PlaybackItem, due: SuspendingClock.Instant) {
        var index = items.endIndex
        while index > items.startIndex, let earlier = items[index - 1].due, earlier > due {
            index -= 1
        }
        items.insert(item, at: index)
    }

    /// Queues a hint that a cue is due at `cueDue`, replacing an earlier hint of the
    /// current session (only the next cue matters; a stale hint at worst opens the device
    /// early, and the idle release closes it again).
    mutating func insertPrepare(cueDue: SuspendingClock.Instant) {
        removePrepares()
        let at = cueDue - PlaybackWorker.openLead
        var index = items.endIndex
        while index > items.startIndex, let earlier = items[index - 1].due, earlier > at {
            index -= 1
        }
        items.insert(.prepare(cueDue: cueDue), at: index)
    }

    /// Forgets every announced cue: after a stop or a pause, none of them is coming, and
    /// acting on one would open the device for nothing.
    mutating func removePrepares() {
        items.removeAll { item in
            if case .prepare = item { return true }
            return false
        }
    }

    mutating func removeFirst() -> PlaybackItem {
        items.removeFirst()
    }

    mutating func removeAll() {
        items.removeAll()
    }
}
