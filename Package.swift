// swift-tools-version: 6.1
import PackageDescription

/// How the executables are linked on Linux, for the memory an idle daemon keeps and the
/// time a `guidectl status` takes (issue 8):
/// - ld.lld (shipped with the Swift toolchain) rather than gold, for the two options below;
/// - `-z pack-relative-relocs`: the ~90,000 relative relocations of a position-independent
///   binary as a 17 KiB DT_RELR table instead of 2 MiB of RELA that ld.so reads at every
///   start (needs glibc 2.36, Debian 12);
/// - `--no-export-dynamic`: the static-stdlib link exports every Swift symbol (13,000) for
///   nothing; shared libraries' symbol look-ups then walk that table too.
let leanLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
        .when(platforms: [.linux]))
]

/// `guided` also has, in release builds, `--symbol-ordering-file`: start-up and session code
/// placed together at the start of .text, so that fault-around maps a few MiB of it rather
/// than most of the 19 MiB (Sources/guided/Linker/make-startup-order.sh regenerates the list).
let guidedLinkerSettings: [LinkerSetting] =
    leanLinkerSettings + [
        .unsafeFlags(
            [
                "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/guided/Linker/startup.order",
                "-Xlinker", "--no-warn-symbol-ordering",
            ],
            .when(platforms: [.linux], configuration: .release))
    ]

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
        // Pure Swift: session model, validation, timeline, runner. No sockets, no sound.
        .target(name: "GuideCore"),
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
        .target(
            name: "GuideDaemon",
            dependencies: [
                "CRuntimeHooks", "GuideCore", "GuideAudio", "GuideProtocol",
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
            exclude: ["Linker"],
            linkerSettings: guidedLinkerSettings
        ),
        .executableTarget(
            name: "guidectl",
            // No GuideAudio: libasound and espeak-ng (and the ~35 libraries they pull in)
            // would cost every `guidectl status` milliseconds of dynamic loading;
            // `test-sound` and `devices` exec `guided` instead.
            dependencies: [
                "GuideCore", "GuideProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: leanLinkerSettings
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
        .testTarget(
            name: "GuideDaemonTests",
            dependencies: [
                "GuideDaemon", "GuideTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            // The executables are dependencies so that `swift test` always builds them first.
            dependencies: ["GuideProtocol", "GuideTestSupport", "guided", "guidectl"]
        ),
    ]
)
