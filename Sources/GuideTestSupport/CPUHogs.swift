/// CPU-bound processes (`while :; do :; done`) that keep the machine busy while a test
/// measures timing; ended by ``stop()`` or when released. They run at nice 19: they take
/// every idle cycle, but the suite's other tests, which run meanwhile, are not starved
/// (at nice 0 two of them on a 2-core machine made unrelated timing tests fail).
public final class CPUHogs: @unchecked Sendable {
    private let children: [ChildProcess]

    public init(count: Int) throws {
        children = try (0..<count).map { _ in
            try ChildProcess("/usr/bin/nice", ["-n", "19", "/bin/sh", "-c", "while :; do :; done"], environment: [:])
        }
    }

    deinit { stop() }

    public func stop() {
        children.forEach { $0.end() }
    }
}
