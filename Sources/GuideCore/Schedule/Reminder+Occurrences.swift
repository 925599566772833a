/// One due time of a reminder and how long it may still fire late: a reminder missed
/// (during suspend, quiet hours or a routine) fires once later only while its window is open.
public struct Occurrence: Sendable, Hashable {
    /// Unix time at which it is due.
    public var due: Double
    /// Unix time at which its window closes: the end of `between` (or of the local day)
    /// for `every`; the next `at` time of the day (or the day's end) for `at`.
    public var windowEnd: Double
}

extension Reminder {
    /// The first occurrence strictly after the Unix time `unix`; nil only when none falls
    /// in the next eight days (which a valid reminder never does).
    ///
    /// `every` counts real time from the window's start, so across a DST change the slots
    /// stay `every` apart (an hourly reminder does not fire twice or skip an hour); `at`
    /// times are local readings (a time skipped by spring-forward fires when the clock
    /// jumps past it, a time that happens twice fires the first time).
    public func occurrence(after unix: Double, offset: UTCOffset) -> Occurrence? {
        let today = CivilDay.of(unix, offset)
        for day in (today - 1)...(today + 8) where days.contains(day: day) {
            if let found = occurrence(onDay: day, after: unix, offset: offset) { return found }
        }
        return nil
    }

    private func occurrence(onDay day: Int, after unix: Double, offset: UTCOffset) -> Occurrence? {
        switch timing {
        case .every(let interval, let between):
            let span = between.map { LocalSpan(day: day, window: $0, offset: offset) } ?? LocalSpan(day: day, offset: offset)
            guard span.end > unix else { return nil }
            let step = interval.seconds
            let k = unix < span.start ? 0 : ((unix - span.start) / step).rounded(.down) + 1
            let due = span.start + k * step
            return due < span.end ? Occurrence(due: due, windowEnd: span.end) : nil
        case .at(let times):
            let midnight = Double(day) * 86_400
            let dues = times.map { offset.unixTime(local: midnight + Double($0.seconds)) }.sorted()
            let dayEnd = offset.unixTime(local: midnight + 86_400)
            guard let index = dues.firstIndex(where: { $0 > unix }) else { return nil }
            let end = index + 1 < dues.count ? dues[index + 1] : dayEnd
            return Occurrence(due: dues[index], windowEnd: end)
        }
    }
}
