import GuideCore

/// One thing for the playback thread to do.
enum PlaybackItem: Sendable {
    /// A session starts: use this palette and open the device.
    case begin(RenderedPalette)
    /// Play `kind` at `due`. `announced` is the cue's index in the session while the cue
    /// is only announced (queued ahead of its time, withdrawn if the session changes
    /// first); nil once it is certain.
    case cue(CueKind, due: SuspendingClock.Instant, announced: Int? = nil)
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
        case .cue(_, let due, _), .sound(_, let due): due
        case .prepare(let cueDue): cueDue - PlaybackWorker.openLead
        case .begin, .end, .release: nil
        }
    }

    /// The session index of a cue that is only announced.
    var announcedIndex: Int? {
        if case .cue(_, _, let announced) = self { return announced }
        return nil
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

    /// Queues a cue at its place by due time, after the last session boundary; `announced`
    /// as in ``PlaybackItem/cue(_:due:announced:)``.
    mutating func insertCue(_ kind: CueKind, due: SuspendingClock.Instant, announced: Int? = nil) {
        insertTimed(.cue(kind, due: due, announced: announced), due: due)
    }

    /// How far the confirmed due time of an announced cue may be from the announced one
    /// and still be the same cue (both are computed from the session's clock; a `skip`
    /// moves the cue to *now*, far from its announced time).
    static let confirmationTolerance: Duration = .milliseconds(50)

    /// Makes the announced cue with session index `index` certain, if it is still queued
    /// and due at `due`; one queued for another time is removed. Returns whether it was
    /// confirmed (the caller queues the cue itself otherwise).
    mutating func confirm(index: Int, due: SuspendingClock.Instant) -> Bool {
        guard let position = items.firstIndex(where: { $0.announcedIndex == index }),
            case .cue(let kind, let announcedDue, _) = items[position]
        else { return false }
        guard Self.isSameCue(announcedDue, due) else {
            items.remove(at: position)
            return false
        }
        items[position] = .cue(kind, due: announcedDue)
        return true
    }

    /// Removes every cue that is still only announced, and says when they were due.
    mutating func withdrawAnnounced() -> [SuspendingClock.Instant] {
        var withdrawn: [SuspendingClock.Instant] = []
        items.removeAll { item in
            guard item.announcedIndex != nil, let due = item.due else { return false }
            withdrawn.append(due)
            return true
        }
        return withdrawn
    }

    /// Whether a cue due at `a` and one due at `b` are the same cue's announced and
    /// confirmed times (within ``confirmationTolerance``).
    static func isSameCue(_ a: SuspendingClock.Instant, _ b: SuspendingClock.Instant) -> Bool {
        abs((a - b).seconds) <= confirmationTolerance.seconds
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
