#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every session of the search path, loaded once and replaced whole on reload.
///
/// Rules (docs/session-format.md, "Search path" and "Reloading"):
/// - each directory is read non-recursively in sorted order; only `*.json` entries count,
///   hidden entries and `session.schema.json` are ignored;
/// - the stem is checked with ``SessionName/isValid(_:)`` before any path is built from
///   it: an invalid stem (`Cool Down.json`) is reported as an error and never opened;
/// - earlier directories win by name: a later file with the same name is shadowed, which
///   is not an error. A file that exists but fails to load still holds its name (a later
///   file does not stand in for it: the user would run something other than what they
///   edited); a file that vanished while loading or is a dangling symlink does not;
/// - symlinks are followed only when they resolve to a regular file: a symlink to a
///   directory (or any non-regular file) is reported as an error, a dangling symlink is
///   reported as an error and otherwise treated as absent;
/// - a missing directory is skipped silently (most of the search path usually does not
///   exist); one that exists but cannot be read is reported as an error.
public struct SessionLibrary: Sendable {
    public internal(set) var sessions: [String: LoadedSession]
    public internal(set) var errors: [LibraryError]

    public init(sessions: [String: LoadedSession] = [:], errors: [LibraryError] = []) {
        self.sessions = sessions
        self.errors = errors
    }

    /// Session names, sorted.
    public var names: [String] { sessions.keys.sorted() }

    public func session(named name: String) -> LoadedSession? { sessions[name] }

    /// Loads every session of `directories`, earliest first.
    public static func load(directories: [String]) -> SessionLibrary {
        var library = SessionLibrary()
        var claimed = Set<String>()
        for directory in directories {
            let entries: [String]
            switch listing(of: directory) {
            case .missing: continue
            case .failed(let error):
                library.errors.append(error)
                continue
            case .entries(let names): entries = names
            }
            for entry in entries {
                guard !entry.hasPrefix("."), entry.hasSuffix(".json"), entry != "session.schema.json" else { continue }
                let stem = String(entry.dropLast(5))
                guard SessionName.isValid(stem) else {
                    // Reported under a display path only; nothing is opened with this name.
                    let problem = SessionName.problem(with: stem) ?? ""
                    library.errors.append(
                        LibraryError(
                            path: join(directory, entry), name: nil,
                            message: SessionError(file: entry, location: "", message: problem + "; rename the file").description))
                    continue
                }
                guard !claimed.contains(stem) else { continue }
                let path = join(directory, stem + ".json")
                switch SessionFile.load(path: path) {
                case .success(let session):
                    claimed.insert(stem)
                    library.sessions[stem] = LoadedSession(session: session, path: path)
                case .failure(let failure):
                    if !failure.missing { claimed.insert(stem) }
                    library.errors.append(
                        LibraryError(path: path, name: stem, message: failure.error.description, fileExists: !failure.missing))
                }
            }
        }
        return library
    }

    /// Loads `directories` again, as on SIGHUP (docs/session-format.md, "Reloading"): a file that no longer loads
    /// but is still there keeps serving the version loaded before (its error is reported,
    /// marked ``LibraryError/keptPreviousVersion``); a removed file disappears, so a
    /// same-named file of a later directory takes its place.
    public func reloaded(directories: [String]) -> SessionLibrary {
        var fresh = SessionLibrary.load(directories: directories)
        for i in fresh.errors.indices where fresh.errors[i].fileExists {
            guard let name = fresh.errors[i].name, let previous = sessions[name],
                previous.path == fresh.errors[i].path, fresh.sessions[name] == nil
            else { continue }
            fresh.sessions[name] = previous
            fresh.errors[i].keptPreviousVersion = true
        }
        return fresh
    }

    private enum Listing {
        case missing
        case failed(LibraryError)
        case entries([String])
    }

    /// The entry names of `directory`, sorted; `.missing` when it does not exist.
    private static func listing(of directory: String) -> Listing {
        func failure(_ code: Int32) -> Listing {
            .failed(LibraryError(path: directory, name: nil, message: "\(directory): cannot read the directory: \(SessionFile.errorText(code))"))
        }
        switch DirectoryEntries.names(in: directory) {
        case .success(let names): return .entries(names.sorted())
        case .failure(let error): return error.errno == ENOENT ? .missing : failure(error.errno)
        }
    }

    private static func join(_ directory: String, _ entry: String) -> String {
        directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
    }
}
