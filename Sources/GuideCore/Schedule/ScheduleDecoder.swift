/// Turns the bytes of `schedule.json` into a validated ``Schedule``, or one
/// ``SessionError`` line that names the file, the JSON path and what is wrong, exactly as
/// session files are checked (unknown fields are errors: a typo must not silently do nothing).
public enum ScheduleDecoder {
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, fileName: String) throws(SessionError) -> Schedule {
        let display = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw SessionError(file: display, location: "line \(error.line), column \(error.column)", message: error.message)
        }
        do {
            return try decode(root)
        } catch let failure as FieldError {
            throw SessionError(file: display, location: failure.path, message: failure.message)
        } catch {
            throw SessionError(file: display, location: "", message: "\(error)")
        }
    }

    static func decode(_ root: JSONValue) throws -> Schedule {
        let object = try FieldReader(root, path: "", known: ["$schema", "quiet", "reminders"])
        _ = try object.string("$schema", maxLength: 2_000)
        let quiet = try list(object, "quiet", max: Schedule.maximumQuietWindows).map { value, path in
            let window = try FieldReader(value, path: path, known: ["between", "days"])
            guard let between = try self.window(window, "between") else {
                throw FieldError(path: path + ".between", message: "is missing (\(TimeWindow.hint))")
            }
            return QuietWindow(between: between, days: try days(window) ?? .all)
        }
        var names: Set<String> = []
        let reminders = try list(object, "reminders", max: Schedule.maximumReminders).map { value, path in
            let reminder = try decodeReminder(value, path: path)
            guard names.insert(reminder.name).inserted else {
                throw FieldError(path: path + ".name", message: "\(JSONValue.quoted(reminder.name)) is used by an earlier reminder; names must be unique")
            }
            return reminder
        }
        return Schedule(quiet: quiet, reminders: reminders)
    }

    static func decodeReminder(_ value: JSONValue, path: String) throws -> Reminder {
        let object = try FieldReader(
            value, path: path,
            known: ["name", "say", "every", "between", "at", "days", "session", "intake", "dailyGoal", "cue", "voice"])
        let name = try object.string("name", required: true, maxLength: 200)!
        if let problem = SessionName.problem(with: name) {
            throw FieldError(path: path + ".name", message: problem.replacingSessionWord)
        }
        let say = try object.string("say", maxLength: 500)
        let session = try object.string("session", maxLength: 200)
        if let session, let problem = SessionName.problem(with: session) {
            throw FieldError(path: path + ".session", message: problem)
        }
        if say == nil, session == nil {
            throw FieldError(path: path, message: "has neither \"say\" nor \"session\"; give it a text to say or a routine to announce")
        }
        let between = try window(object, "between")
        let timing: Reminder.Timing
        switch (object.value("every"), object.value("at")) {
        case (.some, .some):
            throw FieldError(path: path + ".at", message: "cannot be combined with \"every\"; use one of them")
        case (.none, .none):
            throw FieldError(path: path, message: "has neither \"every\" nor \"at\"; say when it is due (\"every\": \"20m\" or \"at\": [\"18:30\"])")
        case (.some, .none):
            timing = .every(try object.duration("every", in: Reminder.minimumInterval...Reminder.maximumInterval)!, between: between)
        case (.none, .some(let atValue)):
            if between != nil {
                throw FieldError(path: path + ".between", message: "only goes with \"every\"; \"at\" names its own times")
            }
            timing = .at(try times(atValue, path: path + ".at"))
        }
        let intake = try amount(object, "intake")
        let dailyGoal = try amount(object, "dailyGoal")
        if dailyGoal != nil, intake == nil {
            throw FieldError(path: path + ".dailyGoal", message: "needs \"intake\" (what one acknowledgement counts, e.g. \"250ml\")")
        }
        var cue: [Tone]?
        if let cueValue = object.value("cue") {
            cue = try tones(cueValue, path: path + ".cue")
        }
        return Reminder(
            name: name, say: say, timing: timing, days: try days(object) ?? .all, session: session, intake: intake,
            dailyGoal: dailyGoal, cue: cue, voice: try object.bool("voice"))
    }

    /// The members of an optional list field with their paths.
    static func list(_ object: FieldReader, _ key: String, max: Int) throws -> [(JSONValue, String)] {
        guard let value = object.value(key) else { return [] }
        guard case .array(let items) = value else {
            throw FieldError(path: object.fieldPath(key), message: "\(value.found) is not a list (use [ {…}, … ])")
        }
        guard items.count <= max else {
            throw FieldError(path: object.fieldPath(key), message: "has \(items.count) entries; at most \(max) are allowed")
        }
        return items.enumerated().map { ($1, object.fieldPath(key) + "[\($0)]") }
    }

    static func window(_ object: FieldReader, _ key: String) throws -> TimeWindow? {
        guard let text = try object.string(key, maxLength: 100) else { return nil }
        guard let window = TimeWindow.parse(text) else {
            throw FieldError(path: object.fieldPath(key), message: "\(JSONValue.string(text).found) is not a time window (\(TimeWindow.hint))")
        }
        return window
    }

    static func days(_ object: FieldReader) throws -> Weekdays? {
        guard let text = try object.string("days", maxLength: 100) else { return nil }
        guard let days = Weekdays.parse(text), days.bits != 0 else {
            throw FieldError(path: object.fieldPath("days"), message: "\(JSONValue.string(text).found) is not a list of days (\(Weekdays.hint))")
        }
        return days
    }

    static func amount(_ object: FieldReader, _ key: String) throws -> Int? {
        guard let text = try object.string(key, maxLength: 40) else { return nil }
        guard let ml = Amount.milliliters(text), Amount.range.contains(ml) else {
            throw FieldError(path: object.fieldPath(key), message: "\(JSONValue.string(text).found) is not an amount from 1ml to 10l (\(Amount.hint))")
        }
        return ml
    }

    /// A reminder's own cue: 1 to 8 tones, each read by the session's tone rule
    /// (`SessionDecoder.decodeTone`); sound files are for sessions only.
    static func tones(_ value: JSONValue, path: String) throws -> [Tone] {
        guard case .array(let list) = value, (1...Tone.maximumPerCue).contains(list.count) else {
            throw FieldError(
                path: path, message: "\(value.found) is not a list of 1 to \(Tone.maximumPerCue) tones (use [{\"hz\": 880, \"ms\": 200}])")
        }
        return try list.enumerated().map { i, toneValue in
            try SessionDecoder.decodeTone(FieldReader(toneValue, path: "\(path)[\(i)]", known: ["hz", "ms", "gapMs"]))
        }
    }

    static func times(_ value: JSONValue, path: String) throws -> [TimeOfDay] {
        guard case .array(let items) = value, !items.isEmpty, items.count <= Reminder.maximumAtTimes else {
            throw FieldError(path: path, message: "\(value.found) is not a list of 1 to \(Reminder.maximumAtTimes) times (use [\"08:00\", \"18:30\"])")
        }
        var times: [TimeOfDay] = []
        for (i, item) in items.enumerated() {
            guard case .string(let text) = item, let time = TimeOfDay.parse(text) else {
                throw FieldError(path: "\(path)[\(i)]", message: "\(item.found) is not a time of day (\(TimeOfDay.hint))")
            }
            guard !times.contains(time) else {
                throw FieldError(path: "\(path)[\(i)]", message: "\(item.found) is listed twice")
            }
            times.append(time)
        }
        return times.sorted()
    }
}

extension String {
    /// SessionName's message, worded for a reminder.
    fileprivate var replacingSessionWord: String {
        let parts = self.split(separator: "session name", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? parts[0] + "reminder name" + parts[1] : self
    }
}
