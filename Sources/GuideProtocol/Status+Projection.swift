import GuideCore

extension Status {
    /// This status as it will be `seconds` later if nothing happens meanwhile: while
    /// running, time left goes down and elapsed time goes up (never past the step's or the
    /// session's end); a paused, finished or idle status does not change.
    ///
    /// `watch` uses it to redraw its line between events without asking the daemon.
    public func projected(after seconds: Double) -> Status {
        guard state == .running, seconds > 0 else { return self }
        var status = self
        let dt = min(seconds, remaining)
        status.elapsed = min(total, elapsed + dt)
        status.remaining = max(0, remaining - dt)
        if var step = status.step {
            step.remaining = max(0, step.remaining - seconds)
            status.step = step
        }
        return status
    }
}
