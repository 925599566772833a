// swift-tools-version: 6.1
import PackageDescription

// Linker tuning (lld, packed relocations, guided's start-up symbol order) is applied by
// systemd/build-release.sh to the installed binaries only, where Benchmarks/RESULTS.md
// shows it pays; debug builds link with the toolchain's defaults.

/// guide: a timed guided-session daemon (`guided`) and its CLI (`guidectl`).
/// See README.md for the layout; each library target has one concern.
let package = Package(
    name: "guide",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guided", targets: ["guided"]),
        .executable(name: "guidectl", targets: ["guidectl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The only code that includes <alsa/asoundlib.h>.
        .target(
            name: "CALSAShim",
            linkerSettings: [.linkedLibrary("asound")]
        ),
        // The only code that includes <espeak-ng/speak_lib.h>: spoken prompts, in memory.
        // libespeak-ng.so.1 is opened with dlopen when a session first speaks, not linked:
        // it would load ~35 libraries (PulseAudio, X11, sndfile, …) into every guided.
        .target(
            name: "CEspeakShim",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // The only C that touches the Swift runtime: sets its global-executor hook.
        .target(name: "CRuntimeHooks"),
        // The only code that includes <sys/timerfd.h>: a descriptor that turns readable when
        // the wall clock is set, so that reminders are re-planned at once.
        .target(name: "CClockShim"),
        // The only code that includes <sndfile.h>: cue sound files decoded to mono samples.
        // libsndfile.so.1 is opened with dlopen when a session first names a sound file, so
        // that guidectl and tone-only daemons never load it (and FLAC, Vorbis, Opus, …).
        .target(
            name: "CSndfileShim",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Session model, validation, timeline, runner. No sockets, no sound card; reads the
        // session files and the sound files they name (through CSndfileShim).
        .target(name: "GuideCore", dependencies: ["CSndfileShim"]),
        .target(
            name: "GuideAudio",
            dependencies: [
                "CALSAShim", "CEspeakShim", "GuideCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GuideProtocol",
            dependencies: ["GuideCore"]
        ),
        // guidectl's human output: status lines, tables, templates, waybar JSON, local time.
        // Not the wire: GuideProtocol is the wire and nothing else.
        .target(
            name: "GuideCLI",
            dependencies: ["GuideCore", "GuideProtocol"]
        ),
        .target(
            name: "GuideDaemon",
            dependencies: [
                "CClockShim", "CRuntimeHooks", "GuideCore", "GuideAudio", "GuideProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "guided",
            dependencies: [
                "GuideDaemon", "GuideAudio",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Linker"]
        ),
        .executableTarget(
            name: "guidectl",
            // No GuideAudio: libasound and espeak-ng (and the ~35 libraries they pull in)
            // would cost every `guidectl status` milliseconds of dynamic loading;
            // `test-sound` and `devices` exec `guided` instead.
            dependencies: [
                "GuideCore", "GuideProtocol", "GuideCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared test helpers: a manual clock, a recording audio sink, a daemon fixture.
        .target(
            name: "GuideTestSupport",
            dependencies: ["GuideCore", "GuideAudio", "GuideProtocol"]
        ),
        .testTarget(name: "GuideCoreTests", dependencies: ["GuideCore", "GuideTestSupport"]),
        .testTarget(
            name: "GuideAudioTests",
            dependencies: [
                "GuideAudio", "CALSAShim", "GuideTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GuideProtocolTests", dependencies: ["GuideProtocol", "GuideTestSupport"]),
        .testTarget(name: "GuideCLITests", dependencies: ["GuideCLI", "GuideProtocol", "GuideTestSupport"]),
        .testTarget(
            name: "GuideDaemonTests",
            dependencies: [
                "GuideDaemon", "GuideTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            // The executables are dependencies so that `swift test` always builds them first.
            dependencies: ["GuideProtocol", "GuideCLI", "GuideTestSupport", "guided", "guidectl"]
        ),
    ]
)
