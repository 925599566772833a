/// What is happening now, in the shape of DESIGN.md §4. The runner fills everything but
/// `audio`, which the daemon adds; the wire carries it as JSON with every key present
/// (absent values as `null`), so that scripts can rely on the keys.
public struct Status: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case idle, running, paused, finished
    }

    public struct StepStatus: Codable, Sendable, Equatable {
        /// 1-based step number in the session; `count` steps in all.
        public var index: Int
        public var count: Int
        public var name: String
        public var side: Side?
        public var rest: Bool
        /// Seconds.
        public var duration: Double
        /// Seconds left in this step (or side).
        public var remaining: Double
        public var instructions: String?
    }

    public struct RoundStatus: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int
    }

    public struct NextStatus: Codable, Sendable, Equatable {
        public var name: String
        public var side: Side?
        public var duration: Double
    }

    public struct AudioStatus: Codable, Sendable, Equatable {
        public var device: String
        public var ok: Bool
        public var error: String?

        public init(device: String, ok: Bool, error: String? = nil) {
            self.device = device
            self.ok = ok
            self.error = error
        }
    }

    public var state: State
    public var session: String?
    public var title: String?
    public var step: StepStatus?
    public var round: RoundStatus?
    /// Seconds into the session, paused time excluded.
    public var elapsed: Double
    /// Seconds left in the session.
    public var remaining: Double
    /// Length of the session in seconds.
    public var total: Double
    public var next: NextStatus?
    public var audio: AudioStatus?
    /// ISO 8601 wall-clock time the session was started.
    public var startedAt: String?
    /// True when the session was restored after the daemon stopped unexpectedly.
    public var restored: Bool
    /// Why the session is paused when the person did not pause it ("the system was
    /// suspended"); left out of the JSON when nil.
    public var pauseReason: String?
    /// The schedule's next reminder and those waiting for `done`; left out when there is
    /// no schedule (DESIGN.md §7).
    public var reminders: ReminderStatus?

    /// The reminder part of the status.
    public struct ReminderStatus: Codable, Sendable, Equatable {
        public struct Next: Codable, Sendable, Equatable {
            public var name: String
            public var text: String
            /// ISO 8601 (UTC).
            public var at: String

            public init(name: String, text: String, at: String) {
                self.name = name
                self.text = text
                self.at = at
            }
        }

        public var next: Next?
        /// Names of the reminders that sounded and wait for `done` or `snooze`, oldest first.
        public var waiting: [String]

        public init(next: Next?, waiting: [String]) {
            self.next = next
            self.waiting = waiting
        }
    }

    public init(
        state: State = .idle, session: String? = nil, title: String? = nil, step: StepStatus? = nil,
        round: RoundStatus? = nil, elapsed: Double = 0, remaining: Double = 0, total: Double = 0,
        next: NextStatus? = nil, audio: AudioStatus? = nil, startedAt: String? = nil, restored: Bool = false
    ) {
        self.state = state
        self.session = session
        self.title = title
        self.step = step
        self.round = round
        self.elapsed = elapsed
        self.remaining = remaining
        self.total = total
        self.next = next
        self.audio = audio
        self.startedAt = startedAt
        self.restored = restored
    }

    public static let idle = Status()

    /// Percent of the session done, 0 … 100.
    public var progress: Double {
        total > 0 ? min(100, max(0, elapsed / total * 100)) : (state == .finished ? 100 : 0)
    }

    enum CodingKeys: String, CodingKey {
        case state, session, title, step, round, elapsed, remaining, total, next, audio, startedAt, restored
        case pauseReason, reminders
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        try c.encode(session, forKey: .session)
        try c.encode(title, forKey: .title)
        try c.encode(step, forKey: .step)
        try c.encode(round, forKey: .round)
        try c.encode(elapsed, forKey: .elapsed)
        try c.encode(remaining, forKey: .remaining)
        try c.encode(total, forKey: .total)
        try c.encode(next, forKey: .next)
        try c.encode(audio, forKey: .audio)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(restored, forKey: .restored)
        try c.encodeIfPresent(pauseReason, forKey: .pauseReason)
        try c.encodeIfPresent(reminders, forKey: .reminders)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        state = try c.decode(State.self, forKey: .state)
        session = try c.decodeIfPresent(String.self, forKey: .session)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        step = try c.decodeIfPresent(StepStatus.self, forKey: .step)
        round = try c.decodeIfPresent(RoundStatus.self, forKey: .round)
        elapsed = try c.decodeIfPresent(Double.self, forKey: .elapsed) ?? 0
        remaining = try c.decodeIfPresent(Double.self, forKey: .remaining) ?? 0
        total = try c.decodeIfPresent(Double.self, forKey: .total) ?? 0
        next = try c.decodeIfPresent(NextStatus.self, forKey: .next)
        audio = try c.decodeIfPresent(AudioStatus.self, forKey: .audio)
        startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt)
        restored = try c.decodeIfPresent(Bool.self, forKey: .restored) ?? false
        pauseReason = try c.decodeIfPresent(String.self, forKey: .pauseReason)
        reminders = try c.decodeIfPresent(ReminderStatus.self, forKey: .reminders)
    }
}
