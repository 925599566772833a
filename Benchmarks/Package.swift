// swift-tools-version: 6.1
import PackageDescription

/// guide-bench: drives the release `guided`, `guidectl`, `mpd` and `mpc` binaries as
/// processes and writes Benchmarks/RESULTS.md. A package of its own, so that the root
/// package's `swift build` and `swift test` never build it. Run it through `run.sh`.
let package = Package(
    name: "guide-bench",
    targets: [
        .executableTarget(
            name: "guide-bench",
            swiftSettings: [.swiftLanguageMode(.v5)]
        )
    ]
)
