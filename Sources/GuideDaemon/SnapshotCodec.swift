import GuideCore
import GuideProtocol

/// The crash snapshot's file format (`$XDG_STATE_HOME/guide/running.json`), read with
/// GuideCore's ``JSONParser`` and written by hand, as the wire replies are: no Foundation
/// coders in the daemon's state path.
///
/// Version 2 (written since the last-alive mark):
///
/// ```json
/// {"version":2,"session":"long","elapsedMilliseconds":61250,"running":true,
///  "startedAt":"2026-11-29T23:05:00Z","savedAtMonotonicNanoseconds":81234000000,
///  "aliveAtMonotonicNanoseconds":84235000000,"bootID":"6c1d…",
///  "definition":{"title":"Long","steps":[{"name":"First","duration":300}]}}
/// ```
///
/// Version 1 (no `version`, written by JSONEncoder) had the first five fields only; it
/// still loads, restored at the saved position, with the session looked up by name.
/// `definition` is the session as it was started, in session-file form, so that a
/// restored run is the run that was interrupted even if its file was edited since.
enum SnapshotCodec {
    static let version = 2

    static func encode(_ saved: SnapshotStore.Saved) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = [
            ("version", .number(Double(version))),
            ("session", .string(saved.session)),
            ("elapsedMilliseconds", .number(Double(saved.elapsedMilliseconds))),
            ("running", .bool(saved.running)),
        ]
        if let startedAt = saved.startedAt { members.append(("startedAt", .string(startedAt))) }
        if let at = saved.savedAtMonotonicNanoseconds { members.append(("savedAtMonotonicNanoseconds", .number(Double(at)))) }
        if let at = saved.aliveAtMonotonicNanoseconds { members.append(("aliveAtMonotonicNanoseconds", .number(Double(at)))) }
        if let boot = saved.bootID { members.append(("bootID", .string(boot))) }
        if let definition = saved.definition { members.append(("definition", SessionDefinition.encode(definition))) }
        return WireCoding.encodeLine(JSONValue.object(members), capacity: 1024)
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ bytes: [UInt8]) throws -> SnapshotStore.Saved {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw Unreadable(description: "\(error)")
        }
        guard case .object = root else { throw Unreadable(description: "not a JSON object") }
        func integer(_ key: String) -> Int64? {
            guard case .number(let n)? = root[key], n.isFinite, abs(n) < 9.2e18 else { return nil }
            return Int64(n)
        }
        func string(_ key: String) -> String? {
            guard case .string(let s)? = root[key] else { return nil }
            return s
        }
        guard let session = string("session"), SessionName.problem(with: session) == nil else {
            throw Unreadable(description: "no valid session name")
        }
        guard let elapsed = integer("elapsedMilliseconds") else { throw Unreadable(description: "no elapsedMilliseconds") }
        guard case .bool(let running)? = root["running"] else { throw Unreadable(description: "no running flag") }
        var definition: Session?
        if let value = root["definition"] {
            let bytes = WireCoding.encodeLine(value)
            // A definition that no longer decodes (a cue's sound file removed since) leaves
            // the restore to the library's version rather than losing the session.
            definition = try? SessionDecoder.decode(bytes, fileName: session + ".json")
        }
        return SnapshotStore.Saved(
            session: session, elapsedMilliseconds: elapsed, startedAt: string("startedAt"), running: running,
            savedAtMonotonicNanoseconds: integer("savedAtMonotonicNanoseconds"),
            aliveAtMonotonicNanoseconds: integer("aliveAtMonotonicNanoseconds"), bootID: string("bootID"),
            definition: definition)
    }
}

/// A ``Session`` back in the form of its file, which ``SessionDecoder`` reads into an
/// equal session: every duration in seconds, every cue's tones spelled out.
enum SessionDefinition {
    static func encode(_ session: Session) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("title", .string(session.title))]
        if let description = session.description { members.append(("description", .string(description))) }
        if let caution = session.caution { members.append(("caution", .string(caution))) }
        members.append(("rounds", .number(Double(session.rounds))))
        if let rest = session.roundRest { members.append(("roundRest", seconds(rest))) }
        if let voice = session.voice { members.append(("voice", .bool(voice))) }
        if session.onSuspend != .pause { members.append(("onSuspend", .string(session.onSuspend.rawValue))) }
        var cues: [(key: String, value: JSONValue)] = []
        if session.hasOwnVolume { cues.append(("volume", .number(session.sounds.volume))) }
        for kind in CueKind.allCases {
            let tones = session.sounds.parts(for: kind).map { part -> JSONValue in
                switch part {
                case .tone(let tone):
                    return .object([
                        ("hz", .number(tone.frequency)), ("ms", .number(Double(tone.milliseconds))),
                        ("gapMs", .number(Double(tone.gapMilliseconds))),
                    ])
                case .file(let clip):
                    // Absolute: the snapshot is decoded without the session file's directory.
                    return .object([
                        ("file", .string(clip.resolvedPath)), ("gapMs", .number(Double(clip.gapMilliseconds))),
                    ])
                }
            }
            cues.append((kind.rawValue, .array(tones)))
        }
        members.append(("cues", .object(cues)))
        let steps = session.steps.map { step -> JSONValue in
            var fields: [(key: String, value: JSONValue)] = [("name", .string(step.name)), ("duration", seconds(step.duration))]
            if let instructions = step.instructions { fields.append(("instructions", .string(instructions))) }
            if step.sides { fields.append(("sides", .bool(true))) }
            if step.rest { fields.append(("rest", .bool(true))) }
            return .object(fields)
        }
        members.append(("steps", .array(steps)))
        return .object(members)
    }

    /// Whole milliseconds, as the decoder keeps them, written as seconds.
    private static func seconds(_ duration: Duration) -> JSONValue {
        .number(Double(duration.milliseconds) / 1000)
    }
}
