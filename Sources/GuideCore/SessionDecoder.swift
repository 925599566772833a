/// Turns the bytes of `NAME.json` into a validated ``Session``, or one ``SessionError``
/// that names the file, the JSON path, what was found and what is allowed.
///
/// The whole file is rejected on the first problem: a session that half-loads would
/// run something other than what its author wrote.
public enum SessionDecoder {
    /// Decodes `bytes` read from `fileName` (a path or a bare file name; the stem is the
    /// session name). Sound files of the cues are read relative to the directory of
    /// `fileName` (the current directory for a bare name).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, fileName: String) throws(SessionError) -> Session {
        let display = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let name = stem(of: display)
        if let problem = SessionName.problem(with: name) {
            throw SessionError(file: display, location: "", message: problem + "; rename the file")
        }
        guard bytes.count <= Session.maximumFileSize else {
            throw SessionError(
                file: display, location: "",
                message: "file is \(bytes.count) bytes; a session file may be at most 1 MiB (\(Session.maximumFileSize) bytes)")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw SessionError(file: display, location: "line \(error.line), column \(error.column)", message: error.message)
        }
        do {
            return try decode(root, name: name, directory: directory(of: fileName))
        } catch let failure as FieldError {
            throw SessionError(file: display, location: failure.path, message: failure.message)
        } catch {
            throw SessionError(file: display, location: "", message: "\(error)")
        }
    }

    /// The directory part of a path: `a/b/x.json` → `a/b`, `/x.json` → `/`, `x.json` → `.`.
    static func directory(of fileName: String) -> String {
        guard let slash = fileName.lastIndex(of: "/") else { return "." }
        return slash == fileName.startIndex ? "/" : String(fileName[..<slash])
    }

    /// The session name for a file name: `cooldown.json` → `cooldown`.
    public static func stem(of fileName: String) -> String {
        fileName.hasSuffix(".json") ? String(fileName.dropLast(5)) : fileName
    }

    static func decode(_ root: JSONValue, name: String, directory: String) throws -> Session {
        let object = try FieldReader(
            root, path: "",
            known: ["title", "description", "caution", "rounds", "roundRest", "voice", "onSuspend", "cues", "steps", "$schema"])
        _ = try object.string("$schema", maxLength: 2_000)  // for editors; its value is not used
        let title = try object.string("title", required: true, maxLength: 200)!
        let description = try object.string("description", maxLength: 10_000)
        let caution = try object.string("caution", maxLength: 10_000)
        let rounds = try object.integer("rounds", in: Session.roundsRange) ?? 1
        let roundRest = try object.duration("roundRest", in: Step.durationRange)
        let voice = try object.bool("voice")
        let onSuspend = try suspendPolicy(object)
        let (sounds, ownVolume) = try decodeCues(object, directory: directory)
        guard let stepsValue = object.value("steps") else {
            throw FieldError(path: "steps", message: "is missing; a session needs at least one step")
        }
        guard case .array(let stepValues) = stepsValue else {
            throw FieldError(path: "steps", message: "\(stepsValue.found) is not a list of steps (use [ {\"name\": …, \"duration\": …} ])")
        }
        guard Session.stepCountRange.contains(stepValues.count) else {
            throw FieldError(
                path: "steps",
                message: stepValues.isEmpty
                    ? "is empty; a session needs at least one step"
                    : "has \(stepValues.count) steps; at most \(Session.stepCountRange.upperBound) are allowed")
        }
        var steps: [Step] = []
        steps.reserveCapacity(stepValues.count)
        for (i, value) in stepValues.enumerated() {
            steps.append(try decodeStep(value, path: "steps[\(i)]"))
        }
        var session = Session(
            name: name, title: title, description: description, caution: caution, rounds: rounds,
            roundRest: roundRest, sounds: sounds, hasOwnVolume: ownVolume, voice: voice, steps: steps)
        session.onSuspend = onSuspend
        let total = Timeline.totalDuration(of: session)
        if total > Session.maximumTotal {
            throw FieldError(
                path: "steps",
                message: "the whole session lasts \(DurationText.format(total)); at most 12h is allowed (fewer steps, rounds or shorter durations)")
        }
        return session
    }

    static func suspendPolicy(_ object: FieldReader) throws -> SuspendPolicy {
        guard let text = try object.string("onSuspend", maxLength: 100) else { return .pause }
        guard let policy = SuspendPolicy(rawValue: text) else {
            throw FieldError(path: "onSuspend", message: "\(JSONValue.string(text).found) is not a suspend policy (use \"pause\" or \"continue\")")
        }
        return policy
    }

    static func decodeStep(_ value: JSONValue, path: String) throws -> Step {
        let object = try FieldReader(value, path: path, known: ["name", "duration", "instructions", "sides", "rest"])
        let name = try object.string("name", required: true, maxLength: Step.maximumNameLength)!
        guard let duration = try object.duration("duration", in: Step.durationRange) else {
            throw FieldError(path: path + ".duration", message: "is missing; every step needs a duration (\(DurationText.hint))")
        }
        let step = Step(
            name: name, duration: duration,
            instructions: try object.string("instructions", maxLength: 10_000),
            sides: try object.bool("sides") ?? false,
            rest: try object.bool("rest") ?? false)
        return step
    }

    /// One entry of a cue list: a sound file when it has `file`, a tone otherwise. A sound
    /// file is read and decoded here, relative to `directory` (the session file's), so
    /// that a missing or broken one rejects the session like any other mistake.
    static func decodePart(_ entry: JSONValue, path: String, directory: String) throws -> CuePart {
        if entry["file"] != nil {
            let part = try FieldReader(entry, path: path, known: ["file", "gapMs"])
            let file = try part.string("file", required: true, maxLength: 4_096)!
            let gap = try part.integer("gapMs", in: Tone.gapRange) ?? 0
            do {
                return .file(try SoundFileReader.read(file, relativeTo: directory, gapMilliseconds: gap))
            } catch {
                throw FieldError(path: part.fieldPath("file"), message: error.message)
            }
        }
        return .tone(try decodeTone(FieldReader(entry, path: path, known: ["hz", "ms", "gapMs", "file"])))
    }

    /// A tone entry's fields (`hz`, `ms`, `gapMs`) in the ranges a cue allows: one rule for
    /// a session's cue lists and a reminder's own cue (ScheduleDecoder).
    static func decodeTone(_ tone: FieldReader) throws -> Tone {
        let hz = try tone.number("hz", in: Tone.frequencyRange, required: true)!
        let ms = try tone.integer("ms", in: Tone.millisecondsRange, required: true)!
        let gap = try tone.integer("gapMs", in: Tone.gapRange) ?? 0
        return Tone(frequency: hz, milliseconds: ms, gapMilliseconds: gap)
    }

    static func decodeCues(_ session: FieldReader, directory: String) throws -> (CueSounds, Bool) {
        var sounds = CueSounds.standard
        guard let value = session.value("cues") else { return (sounds, false) }
        let cues = try FieldReader(value, path: "cues", known: ["volume"] + CueKind.allCases.map(\.rawValue))
        var ownVolume = false
        if let volume = try cues.number("volume", in: 0...1) {
            sounds.volume = volume
            ownVolume = true
        }
        for kind in CueKind.allCases {
            guard let tonesValue = cues.value(kind.rawValue) else { continue }
            let path = "cues.\(kind.rawValue)"
            guard case .array(let list) = tonesValue else {
                throw FieldError(
                    path: path,
                    message: "\(tonesValue.found) is not a list of 1 to \(Tone.maximumPerCue) tones or sound files (use [{\"hz\": 880, \"ms\": 200}] or [{\"file\": \"bell.wav\"}])")
            }
            guard (1...Tone.maximumPerCue).contains(list.count) else {
                throw FieldError(path: path, message: "has \(list.count) entries; use 1 to \(Tone.maximumPerCue) tones or sound files")
            }
            sounds.parts[kind] = try list.enumerated().map { i, entry in
                try decodePart(entry, path: "\(path)[\(i)]", directory: directory)
            }
        }
        return (sounds, ownVolume)
    }
}

/// A problem at a JSON path, turned into a ``SessionError`` by the decoder.
struct FieldError: Error {
    var path: String
    var message: String
}
