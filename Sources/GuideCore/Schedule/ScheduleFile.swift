/// Where the schedule lives and how it is read: `--schedule FILE`, else `GUIDE_SCHEDULE`,
/// else `$XDG_CONFIG_HOME/guide/schedule.json` (default `~/.config`). A missing file is no
/// schedule, not an error: most people start without one.
public enum ScheduleFile {
    /// The path to read, from the flag (if given) and the environment.
    public static func path(flag: String?, environment: [String: String]) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["GUIDE_SCHEDULE"], !env.isEmpty { return env }
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/guide/schedule.json" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.config/guide/schedule.json"
    }

    /// The schedule at `path`; nil when there is no file. Errors name the file (its last
    /// component), the JSON path and what is wrong, as session files do.
    public static func read(path: String) throws(SessionError) -> Schedule? {
        do {
            return try check(path: path)
        } catch {
            if error.missing { return nil }
            throw error.error
        }
    }

    /// The schedule at `path` for `guidectl validate`: the daemon's checks, word for word,
    /// and a missing file is an error too (someone named it to have it checked).
    public static func validate(path: String) throws(SessionError) -> Schedule {
        do {
            return try check(path: path)
        } catch {
            throw error.error
        }
    }

    private static func check(path: String) throws(SessionFile.Failure) -> Schedule {
        let display = path.split(separator: "/").last.map(String.init) ?? path
        let bytes = try SessionFile.readBytes(path: path, display: display)
        guard bytes.count <= Schedule.maximumFileSize else {
            let message = "file is \(bytes.count) bytes; a schedule file may be at most 256 KiB (\(Schedule.maximumFileSize) bytes)"
            throw SessionFile.Failure(error: SessionError(file: display, location: "", message: message), missing: false)
        }
        do {
            return try ScheduleDecoder.decode(bytes, fileName: display)
        } catch {
            throw SessionFile.Failure(error: error, missing: false)
        }
    }

    /// Whether the file at `path` is a schedule rather than a session, for `guidectl
    /// validate`, which takes both: a JSON object with `reminders` or `quiet` and without a
    /// session's `steps`. Anything else (unreadable, not JSON, a session) is checked as a
    /// session, whose error then says what is wrong.
    public static func looksLikeSchedule(path: String) -> Bool {
        guard let bytes = try? SessionFile.readBytes(path: path, display: path),
            case .object(let fields) = try? JSONParser.parse(bytes)
        else { return false }
        let keys = Set(fields.map(\.key))
        return (keys.contains("reminders") || keys.contains("quiet")) && !keys.contains("steps")
    }
}
