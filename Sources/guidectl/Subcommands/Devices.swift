import ArgumentParser

extension GuideCtl {
    struct Devices: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "devices",
            abstract: "List the ALSA PCM names that guided --audio-device and test-sound take.",
            discussion: "Names not listed, such as file:'/tmp/cues.raw',raw, work too. Runs 'guided --list-devices'.")

        func run() throws {
            throw GuidedExec.replaceProcess(arguments: ["--list-devices"])
        }
    }
}
