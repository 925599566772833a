import GuideCore

extension CommandResult {
    /// ``run(_:_:environment:stdin:timeout:)`` on a thread of its own, awaited: for commands
    /// that take minutes (a release build). A synchronous test that waits that long holds
    /// one of the few threads every test shares, and on a 2-core runner the rest of the
    /// suite then waits behind it.
    public static func runAwaiting(
        _ executable: String, _ arguments: [String], environment: [String: String], timeout: Duration
    ) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            do {
                _ = try NamedThread.start("test-command") {
                    continuation.resume(with: Result {
                        try CommandResult.run(executable, arguments, environment: environment, timeout: timeout)
                    })
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
