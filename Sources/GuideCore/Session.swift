/// A guided session as loaded from `NAME.json` and validated: the unit that
/// `guidectl start NAME` runs. Build one with ``SessionDecoder``.
public struct Session: Sendable, Hashable {
    /// The file stem; what `guidectl start` takes.
    public var name: String
    public var title: String
    public var description: String?
    /// Safety text shown by `show` and at `start`.
    public var caution: String?
    /// How many times the steps run (1 … 100).
    public var rounds: Int
    /// Rest between rounds; nil for none.
    public var roundRest: Duration?
    /// Cue tones and volume, with the session's overrides applied.
    public var sounds: CueSounds
    /// Whether the session set its own volume (a daemon-wide `--volume` yields to it).
    public var hasOwnVolume: Bool
    /// Whether the daemon should speak step names (when it can).
    public var voice: Bool?
    /// What system suspend does to a running session (DESIGN.md §7).
    public var onSuspend: SuspendPolicy = .pause
    public var steps: [Step]

    public init(
        name: String, title: String, description: String? = nil, caution: String? = nil,
        rounds: Int = 1, roundRest: Duration? = nil, sounds: CueSounds = .standard,
        hasOwnVolume: Bool = false, voice: Bool? = nil, steps: [Step]
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.caution = caution
        self.rounds = rounds
        self.roundRest = roundRest
        self.sounds = sounds
        self.hasOwnVolume = hasOwnVolume
        self.voice = voice
        self.steps = steps
    }

    /// Limits of docs/session-format.md ("Limits").
    public static let stepCountRange = 1...500
    public static let roundsRange = 1...100
    public static let maximumTotal = Duration.seconds(12 * 3600)
    public static let maximumFileSize = 1 << 20
}

/// One step of a session: an exercise or a rest, held for `duration`, once or once per side.
public struct Step: Sendable, Hashable {
    public var name: String
    public var duration: Duration
    public var instructions: String?
    /// Runs once for the left side, then once for the right, with a switch cue between.
    public var sides: Bool
    /// A rest step: softer cue.
    public var rest: Bool

    public init(name: String, duration: Duration, instructions: String? = nil, sides: Bool = false, rest: Bool = false) {
        self.name = name
        self.duration = duration
        self.instructions = instructions
        self.sides = sides
        self.rest = rest
    }

    public static let durationRange = Duration.seconds(1)...Duration.seconds(4 * 3600)
    public static let maximumNameLength = 200
}

/// What system suspend does to a running session: `pause` (the default: on resume it is
/// paused, and says why) or `continue` (its time counts across the sleep, so that a
/// timed soak ends on time; cues that fell into the sleep follow the runner's late-cue policy).
public enum SuspendPolicy: String, Sendable, Hashable, CaseIterable {
    case pause, `continue`
}

/// The side of a two-sided step.
public enum Side: String, Sendable, Hashable {
    case left, right
}
