/// The state the caller's threads and the playback thread share, all of it guarded by
/// `condition`'s lock (hence `@unchecked`): the queue of work, and the stop flag that
/// ``CuePlayer/shutdown()`` sets.
final class PlaybackShared: @unchecked Sendable {
    let condition = MonotonicCondition()
    var queue = PlaybackQueue()
    var stopping = false
    /// What to say after the cue due at an instant (spoken prompts), set by `schedule`.
    var speech: [SuspendingClock.Instant: VoicePrompts.Prompt] = [:]
    /// Announced cues (``CuePlayer/announce(_:due:)``) the playback thread has taken from
    /// the queue, by their index in the session, with their due time: when the engine then
    /// confirms one (``CuePlayer/schedule(_:due:)``), it is not played twice.
    var takenAnnounced: [Int: SuspendingClock.Instant] = [:]
    /// How often the playback thread has returned from a wait: lets tests prove that an
    /// idle player does not poll.
    var wakeUps = 0
}
