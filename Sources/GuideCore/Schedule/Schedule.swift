/// A person's day with guide, from `schedule.json`: quiet windows and reminders.
/// Build one with ``ScheduleDecoder``; run it with ``Scheduler``.
public struct Schedule: Sendable, Hashable {
    public var quiet: [QuietWindow]
    public var reminders: [Reminder]

    public init(quiet: [QuietWindow] = [], reminders: [Reminder] = []) {
        self.quiet = quiet
        self.reminders = reminders
    }

    public static let empty = Schedule()
    /// Limits that keep a hostile or mistaken file small.
    public static let maximumReminders = 100
    public static let maximumQuietWindows = 20
    public static let maximumFileSize = 256 * 1024

    /// Whether a file quiet window holds at the Unix time `unix`.
    public func quietWindow(at unix: Double, offset: UTCOffset) -> (window: QuietWindow, end: Double)? {
        for window in quiet {
            if let end = window.end(ifContaining: unix, offset: offset) { return (window, end) }
        }
        return nil
    }
}

/// A window of local time in which reminders stay silent (a routine a person starts still sounds).
public struct QuietWindow: Sendable, Hashable {
    public var between: TimeWindow
    public var days: Weekdays

    public init(between: TimeWindow, days: Weekdays = .all) {
        self.between = between
        self.days = days
    }

    /// The Unix time at which this window ends, if `unix` lies inside it.
    public func end(ifContaining unix: Double, offset: UTCOffset) -> Double? {
        let today = CivilDay.of(unix, offset)
        for day in [today - 1, today] where days.contains(day: day) {
            let span = LocalSpan(day: day, window: between, offset: offset)
            if span.start <= unix, unix < span.end { return span.end }
        }
        return nil
    }
}

/// A window on one local day as Unix times (DST-correct: a window across a
/// spring-forward night is an hour shorter in real time).
struct LocalSpan {
    var start: Double
    var end: Double

    init(day: Int, window: TimeWindow, offset: UTCOffset) {
        let midnight = Double(day) * 86_400
        start = offset.unixTime(local: midnight + Double(window.start.seconds))
        let endDay = window.crossesMidnight ? midnight + 86_400 : midnight
        end = offset.unixTime(local: endDay + Double(window.end.seconds))
    }

    /// The whole local day.
    init(day: Int, offset: UTCOffset) {
        let midnight = Double(day) * 86_400
        start = offset.unixTime(local: midnight)
        end = offset.unixTime(local: midnight + 86_400)
    }
}

/// One reminder of a schedule: when it is due, what it says, and what acknowledging it records.
public struct Reminder: Sendable, Hashable {
    /// When a reminder is due: every so often (within a daily window), or at fixed times.
    public enum Timing: Sendable, Hashable {
        /// Every `interval` of real time from the window's start (the whole day without one).
        case every(Duration, between: TimeWindow?)
        /// At these local times, in order.
        case at([TimeOfDay])
    }

    /// `^[a-z0-9][a-z0-9-]{0,63}$`, unique in the file: what `done`/`snooze` take.
    public var name: String
    /// What is said (and shown) when it is due.
    public var say: String?
    public var timing: Timing
    public var days: Weekdays
    /// A routine it announces ("time for cooldown"); `guidectl start` alone then starts it.
    public var session: String?
    /// What one acknowledgement counts, in millilitres (`250ml`).
    public var intake: Int?
    /// The day's target, in millilitres (`2l`).
    public var dailyGoal: Int?
    /// Its own cue; nil for ``Reminder/standardCue``.
    public var cue: [Tone]?
    /// Whether its text is spoken (where voice is available); nil for the daemon's default.
    public var voice: Bool?

    public init(
        name: String, say: String? = nil, timing: Timing, days: Weekdays = .all, session: String? = nil,
        intake: Int? = nil, dailyGoal: Int? = nil, cue: [Tone]? = nil, voice: Bool? = nil
    ) {
        self.name = name
        self.say = say
        self.timing = timing
        self.days = days
        self.session = session
        self.intake = intake
        self.dailyGoal = dailyGoal
        self.cue = cue
        self.voice = voice
    }

    /// What a person reads and hears: its `say`, or "time for NAME" for a routine.
    public var text: String {
        if let say { return say }
        if let session { return "Time for \(session)" }
        return name
    }

    /// Two soft high tones, distinct from every routine cue of DESIGN.md §3.
    public static let standardCue = [
        Tone(frequency: 988, milliseconds: 150, gapMilliseconds: 90), Tone(frequency: 1175, milliseconds: 220),
    ]
    public static let minimumInterval = Duration.seconds(10)
    public static let maximumInterval = Duration.seconds(24 * 3600)
    public static let maximumAtTimes = 48
}

/// Amounts of liquid: `250ml`, `0.3l`, `2l`, `1.5L`, as whole millilitres.
public enum Amount {
    /// Millilitres of `text`; nil when it is not an amount.
    public static func milliliters(_ text: String) -> Int? {
        let lower = text.lowercased().filter { $0 != " " }
        let (number, scale): (Substring, Double) =
            if lower.hasSuffix("ml") { (lower.dropLast(2), 1) } else if lower.hasSuffix("l") { (lower.dropLast(1), 1000) } else {
                (Substring(lower), 1)
            }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value > 0
        else { return nil }
        let ml = (value * scale).rounded()
        guard ml >= 1, ml <= 100_000 else { return nil }
        return Int(ml)
    }

    /// `250ml`, `2l`, `1.25l`.
    public static func format(_ ml: Int) -> String {
        if ml >= 1000 {
            let liters = Double(ml) / 1000
            return JSONValue.format(liters) + "l"
        }
        return "\(ml)ml"
    }

    public static let hint = "use millilitres or litres, e.g. \"250ml\", \"0.3l\" or \"2l\""
    public static let range = 1...10_000
}
