import ArgumentParser

/// The exit statuses listed in README.md ("guidectl") (the sysexits.h numbers where one fits).
extension ExitCode {
    /// The daemon answered with an error (nothing running, unknown session, …).
    static let refused = ExitCode(1)
    /// A session or schedule file is invalid (EX_DATAERR).
    static let invalidSession = ExitCode(65)
    /// No daemon could be reached or started (EX_UNAVAILABLE).
    static let unavailable = ExitCode(69)
    /// Interrupted by Ctrl-C (128 + SIGINT), as shells report it.
    static let interrupted = ExitCode(130)
}
