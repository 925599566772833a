#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directories sessions are loaded from, earliest first (docs/session-format.md, "Search path"). An earlier
/// directory wins by name, so a user can shadow a bundled `cooldown.json` with their own.
///
/// Building the list is pure (flags and environment come in as values) so that the order
/// can be tested without touching the real home directory; only the two `…Directory`
/// helpers look at the file system.
public enum SearchPath {
    /// The search path, deduplicated, earliest first:
    /// 1. `flags` (the `--sessions-dir` values) if any, else the entries of
    ///    `GUIDE_SESSIONS_PATH` (colon-separated, empty entries ignored);
    /// 2. `$XDG_CONFIG_HOME/guide/sessions` (default `$HOME/.config`);
    /// 3. `$XDG_DATA_HOME/guide/sessions` (default `$HOME/.local/share`);
    /// 4. every `$XDG_DATA_DIRS` entry + `/guide/sessions` (default `/usr/local/share:/usr/share`);
    /// 5. `<bindir>/../share/guide/sessions`, with `..` taken lexically (`/usr/bin` → `/usr/share/…`);
    /// 6. `sourceCheckoutSessions`, the `Sessions/` of a source checkout, if given.
    ///
    /// As the XDG Base Directory spec asks, relative `XDG_*` values are ignored (the
    /// default is used instead); without `HOME` the entries that need it are left out.
    /// Paths are compared after dropping repeated and trailing slashes.
    public static func directories(
        flags: [String], environment: [String: String], executableDirectory: String?,
        sourceCheckoutSessions: String?
    ) -> [String] {
        var result: [String] = []
        func add(_ path: String?) {
            guard let path, !path.isEmpty else { return }
            let clean = normalized(path)
            if !result.contains(clean) { result.append(clean) }
        }
        if !flags.isEmpty {
            flags.forEach(add)
        } else if let list = environment["GUIDE_SESSIONS_PATH"] {
            list.split(separator: ":").map(String.init).forEach(add)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let configHome = absolute(environment["XDG_CONFIG_HOME"]) ?? home.map { $0 + "/.config" }
        add(configHome.map { $0 + "/guide/sessions" })
        let dataHome = absolute(environment["XDG_DATA_HOME"]) ?? home.map { $0 + "/.local/share" }
        add(dataHome.map { $0 + "/guide/sessions" })
        let dataDirs = (environment["XDG_DATA_DIRS"] ?? "").split(separator: ":").map(String.init)
            .filter { $0.hasPrefix("/") }
        for dir in dataDirs.isEmpty ? ["/usr/local/share", "/usr/share"] : dataDirs {
            add(dir + "/guide/sessions")
        }
        if let bin = executableDirectory, !bin.isEmpty {
            add(parent(of: normalized(bin)) + "/share/guide/sessions")
        }
        add(sourceCheckoutSessions)
        return result
    }

    /// The search path of the running executable: ``directories(flags:environment:executableDirectory:sourceCheckoutSessions:)``
    /// with this binary's directory and, when it runs from a source checkout, that
    /// checkout's `Sessions/` (unless `GUIDE_NO_CHECKOUT_SESSIONS=1`, which tests set so
    /// that only their own sessions are seen).
    public static func forCurrentProcess(flags: [String], environment: [String: String]) -> [String] {
        let executable = currentExecutableDirectory()
        let checkout = environment["GUIDE_NO_CHECKOUT_SESSIONS"] == "1"
            ? nil : executable.flatMap { sourceCheckoutSessions(executableDirectory: $0) }
        return directories(flags: flags, environment: environment, executableDirectory: executable, sourceCheckoutSessions: checkout)
    }

    /// The `Sessions/` folder of the source checkout that holds the executable in
    /// `executableDirectory`, if any: the nearest ancestor (the directory itself first,
    /// at most `levels` up) with a `Package.swift` file next to a `Sessions` directory.
    ///
    /// `swift run guidectl` runs `<checkout>/.build/<triple>/debug/guidectl`, so this is
    /// how a daemon started from a checkout finds the bundled sessions without installing.
    public static func sourceCheckoutSessions(executableDirectory: String, levels: Int = 6) -> String? {
        var dir = normalized(executableDirectory)
        for _ in 0...levels {
            let base = dir == "/" ? "" : dir
            if isRegularFile(base + "/Package.swift"), isDirectory(base + "/Sessions") {
                return base + "/Sessions"
            }
            if dir == "/" || !dir.hasPrefix("/") { break }
            dir = parent(of: dir)
        }
        return nil
    }

    /// The directory of the running executable (from `/proc/self/exe`, so symlinks are
    /// resolved), or nil where that is not available.
    public static func currentExecutableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return parent(of: path)
    }

    /// `value` when it is an absolute path, nil otherwise (unset, empty or relative).
    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }

    /// `path` with repeated and trailing slashes removed (`/a//b/` → `/a/b`).
    static func normalized(_ path: String) -> String {
        let joined = path.split(separator: "/").joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The lexical parent of a normalized path (`/usr/bin` → `/usr`, `/usr` → `/`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
