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
        let display = path.split(separator: "/").last.map(String.init) ?? path
        let bytes: [UInt8]
        do {
            bytes = try SessionFile.readBytes(path: path, display: display)
        } catch {
            if error.missing { return nil }
            throw error.error
        }
        return try ScheduleDecoder.decode(bytes, fileName: display)
    }
}
