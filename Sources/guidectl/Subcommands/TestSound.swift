import ArgumentParser

extension GuideCtl {
    struct TestSound: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-sound",
            abstract: "Play every cue once on an ALSA device, naming each, to check the sound.",
            discussion: """
                Plays the default cues, or with SESSION (a name or a .json file) that session's \
                own tones and sound files at its volume. Runs here (through 'guided --test-sound'), \
                not in the daemon. See 'guidectl devices' for device names.
                """)

        @Argument(help: "A session whose cues to play (a name or a .json file).", completion: .custom(LocalLibrary.completeNames))
        var session: String?

        @Option(
            help: ArgumentHelp(
                "ALSA PCM: default, hw:1, null, … (env GUIDE_AUDIO_DEVICE; default: default).", valueName: "pcm"))
        var device: String?

        func run() throws {
            throw GuidedExec.replaceProcess(
                arguments: ["--test-sound"] + (device.map { ["--audio-device", $0] } ?? []) + (session.map { ["--session", $0] } ?? []))
        }
    }
}
