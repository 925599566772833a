import ArgumentParser
import Foundation
import GuideAudio
import GuideCore

extension GuideCtl {
    struct TestSound: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-sound",
            abstract: "Play every cue once on an ALSA device, naming each, to check the sound.",
            discussion: "Runs here, not in the daemon. See 'guidectl devices' for device names.")

        @Option(
            help: ArgumentHelp(
                "ALSA PCM: default, hw:1, null, … (env GUIDE_AUDIO_DEVICE; default: default).", valueName: "pcm"))
        var device: String?

        static let labels: [CueKind: String] = [
            .start: "session start", .step: "step start", .countdown: "countdown tick",
            .side: "side switch", .rest: "rest step start", .end: "session end",
        ]

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let pcm = device ?? environment["GUIDE_AUDIO_DEVICE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            let width = Self.labels.values.map(\.count).max() ?? 0
            do {
                try GuideAudio.TestSound(device: pcm).run { kind, tones in
                    let label = Self.labels[kind] ?? kind.rawValue
                    Console.line(label + String(repeating: " ", count: width - label.count) + "  " + tones)
                }
            } catch {
                throw Console.fail("cannot play on \(pcm): \(error) (see 'guidectl devices' for names)", .refused)
            }
        }
    }
}
