import GuideCore

/// When each frame of a running real-time stream is heard, estimated from many of the
/// delays the device reports rather than from one.
///
/// A reading says: `delay` frames are still to be heard before the next frame written, at
/// the instant the reading was taken; with `written` frames written so far, frame 0 of
/// the stream is (or was) heard at `at + delay/rate − written/rate` — the stream's
/// *origin*. For a stream that plays at its rate the origin is a constant, so every
/// reading estimates the same instant, and their median shrugs off the bad ones: a
/// reading taken just before the thread was preempted, PulseAudio's interpolated latency
/// jumping at a server request, PipeWire's extrapolation from a graph cycle that ran
/// late. A single bad reading used to push a single cue up to 11 ms off the grid.
///
/// The median is over the last ``window`` readings (a third of a second at the feed
/// interval), so a real change — an underrun that shifted what was queued — is followed
/// within a few feeds, as is the drift between the server's clock and the monotonic one.
struct StreamTimeline {
    /// How many recent readings the estimate uses.
    static let window = 32

    let sampleRate: Int
    /// Origins (nanoseconds after `reference`) of the most recent readings, oldest first.
    private var origins: [Int64] = []
    private var reference: SuspendingClock.Instant?

    init(sampleRate: Int) {
        self.sampleRate = sampleRate
    }

    /// Whether there is any reading to go on.
    var isKnown: Bool { !origins.isEmpty }

    /// Forgets every reading: the stream was opened or restarted and plays on a new
    /// timeline.
    mutating func reset() {
        origins.removeAll(keepingCapacity: true)
        reference = nil
    }

    /// Takes one reading: `delay` frames were still to be heard ahead of frame `written`
    /// at `at`. A reading of no delay says nothing (a stream not yet playing, or a server
    /// that clamps a latency it cannot compute to 0) and is ignored.
    mutating func observe(delay: Int, written: Int, at instant: SuspendingClock.Instant) {
        guard delay > 0 else { return }
        let reference = self.reference ?? instant
        self.reference = reference
        let origin = (instant - reference).nanoseconds + Int64(delay - written) * 1_000_000_000 / Int64(sampleRate)
        if origins.count == Self.window {
            origins.removeFirst()
        }
        origins.append(origin)
    }

    /// When frame `index` of the stream is heard, by the median reading; nil without one.
    func heardTime(ofFrame index: Int) -> SuspendingClock.Instant? {
        guard let reference, let origin = medianOrigin else { return nil }
        return reference + .nanoseconds(origin + Int64(index) * 1_000_000_000 / Int64(sampleRate))
    }

    /// The frame heard at `instant` (negative if before the stream began); nil without a
    /// reading.
    func frame(heardAt instant: SuspendingClock.Instant) -> Int? {
        guard let reference, let origin = medianOrigin else { return nil }
        let offset = (instant - reference).nanoseconds - origin
        return Int(offset * Int64(sampleRate) / 1_000_000_000)
    }

    private var medianOrigin: Int64? {
        guard !origins.isEmpty else { return nil }
        return origins.sorted()[origins.count / 2]
    }

}
