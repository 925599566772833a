import ArgumentParser
import GuideAudio

extension GuideCtl {
    struct Devices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the ALSA PCM names that guided --audio-device and test-sound take.",
            discussion: "Names not listed, such as file:'/tmp/cues.raw',raw, work too.")

        func run() throws {
            let devices: [(name: String, description: String)]
            do {
                devices = try DeviceList.pcmNames()
            } catch {
                throw Console.fail("cannot list ALSA devices: \(error)", .refused)
            }
            let width = devices.map(\.name.count).max() ?? 0
            for device in devices {
                let description = device.description.split(separator: "\n").joined(separator: ", ")
                Console.line(
                    description.isEmpty
                        ? device.name : device.name + String(repeating: " ", count: width - device.name.count) + "  " + description)
            }
        }
    }
}
