/// What is happening now (docs/protocol.md, "The status object"). The runner fills
/// everything but `audio`, which the daemon adds; the wire carries it as JSON with every
/// key present (absent values as `null`), so that scripts can rely on the keys
/// (Status+Wire.swift writes and reads it).
public struct Status: Sendable, Equatable {
    public enum State: String, Sendable {
        case idle, running, paused, finished
    }

    public struct StepStatus: Sendable, Equatable {
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

        public init(
            index: Int, count: Int, name: String, side: Side? = nil, rest: Bool = false, duration: Double, remaining: Double,
            instructions: String? = nil
        ) {
            self.index = index
            self.count = count
            self.name = name
            self.side = side
            self.rest = rest
            self.duration = duration
            self.remaining = remaining
            self.instructions = instructions
        }
    }

    public struct RoundStatus: Sendable, Equatable {
        public var index: Int
        public var count: Int

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    public struct NextStatus: Sendable, Equatable {
        public var name: String
        public var side: Side?
        public var duration: Double

        public init(name: String, side: Side? = nil, duration: Double) {
            self.name = name
            self.side = side
            self.duration = duration
        }
    }

    public struct AudioStatus: Sendable, Equatable {
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
    /// no schedule (docs/schedule-format.md).
    public var reminders: ReminderStatus?

    /// The reminder part of the status.
    public struct ReminderStatus: Sendable, Equatable {
        public struct Next: Sendable, Equatable {
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
}
