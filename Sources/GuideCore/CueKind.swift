/// The moments the daemon marks with a sound. The raw values are the keys a session
/// uses to override a sound in its `cues` object and the names used on the wire.
public enum CueKind: String, Sendable, Hashable, CaseIterable {
    /// The session begins (it also marks the start of the first step).
    case start
    /// An exercise step begins.
    case step
    /// A rest step (or the rest between rounds) begins: a softer sound.
    case rest
    /// The second side of a two-sided step begins.
    case side
    /// One of the three ticks in the last 3 s of a step of 10 s or more.
    case countdown
    /// The session is complete.
    case end
}
