@testable import GuideAudio
import Testing

/// Where a cue lands in a real-time stream is decided by ``StreamTimeline``: these feed it
/// the readings a device would give and check the frame a cue would be written at.
@Suite("StreamTimeline: when a stream's frames are heard")
struct StreamTimelineTests {
    let rate = 48_000
    let start = SuspendingClock.now

    /// A stream whose frame 0 is heard at `origin`: the delay it reports at `at` with
    /// `written` frames written.
    func delay(origin: SuspendingClock.Instant, written: Int, at instant: SuspendingClock.Instant) -> Int {
        written - frames(instant - origin)
    }

    func frames(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * rate + Int(attoseconds / 1_000_000_000_000) * rate / 1_000_000
    }

    @Test("one reading dates every frame")
    func oneReading() {
        var timeline = StreamTimeline(sampleRate: rate)
        #expect(!timeline.isKnown)
        #expect(timeline.frame(heardAt: start) == nil)
        // 7200 frames written, 6000 still to be heard: frame 1200 is heard now.
        timeline.observe(delay: 6000, written: 7200, at: start)
        #expect(timeline.isKnown)
        #expect(timeline.frame(heardAt: start) == 1200)
        #expect(timeline.frame(heardAt: start + .milliseconds(350)) == 1200 + 16_800)
        #expect(timeline.heardTime(ofFrame: 1200 + 48_000) == start + .seconds(1))
    }

    @Test("a reading of no delay says nothing")
    func zeroDelayIgnored() {
        var timeline = StreamTimeline(sampleRate: rate)
        timeline.observe(delay: 0, written: 7200, at: start)
        #expect(!timeline.isKnown)
    }

    @Test("a few wrong readings among many do not move the estimate")
    func outliersIgnored() {
        var timeline = StreamTimeline(sampleRate: rate)
        let origin = start - .milliseconds(500)
        var written = 48_000
        for step in 0..<StreamTimeline.window {
            let now = start + .milliseconds(10 * step)
            var reported = delay(origin: origin, written: written, at: now)
            // Every fifth reading is dated 11 ms wrong, as when the thread was preempted
            // between the clock and the device, or the server's extrapolation jumped.
            if step % 5 == 0 { reported -= frames(.milliseconds(11)) }
            timeline.observe(delay: reported, written: written, at: now)
            written += 480
        }
        let later = start + .seconds(2)
        #expect(timeline.frame(heardAt: later) == frames(later - origin))
    }

    @Test("a real shift (the stream ran dry and restarted later) is followed within the window")
    func followsShift() {
        var timeline = StreamTimeline(sampleRate: rate)
        let first = start - .seconds(1)
        for step in 0..<StreamTimeline.window {
            let now = start + .milliseconds(10 * step)
            timeline.observe(delay: delay(origin: first, written: 96_000, at: now), written: 96_000, at: now)
        }
        // 40 ms of silence were inserted: every frame is now heard 40 ms later.
        let shifted = first + .milliseconds(40)
        for step in 0..<(StreamTimeline.window / 2 + 1) {
            let now = start + .milliseconds(400 + 10 * step)
            timeline.observe(delay: delay(origin: shifted, written: 96_000, at: now), written: 96_000, at: now)
        }
        let later = start + .seconds(3)
        #expect(timeline.frame(heardAt: later) == frames(later - shifted))
        timeline.reset()
        #expect(!timeline.isKnown)
    }
}
