import FoundationEssentials
import GuideAudio
import GuideCore

/// `guided --list-devices` and `guided --test-sound`: the ALSA checks that `guidectl
/// devices` and `guidectl test-sound` run (guidectl execs guided for them, so that the
/// CLI itself never loads libasound and starts as fast as a status bar needs).
enum AudioChecks {
    /// Prints the PCM names, aligned, with their descriptions; false on failure.
    static func listDevices() -> Bool {
        let devices: [(name: String, description: String)]
        do {
            devices = try DeviceList.pcmNames()
        } catch {
            StandardStream.error.write("cannot list ALSA devices: \(error)\n")
            return false
        }
        let width = devices.map(\.name.count).max() ?? 0
        for device in devices {
            let description = device.description.split(separator: "\n").joined(separator: ", ")
            print(description.isEmpty ? device.name : device.name + String(repeating: " ", count: width - device.name.count) + "  " + description)
        }
        return true
    }

    static let labels: [CueKind: String] = [
        .start: "session start", .step: "step start", .countdown: "countdown tick",
        .side: "side switch", .rest: "rest step start", .end: "session end",
    ]

    /// Plays every cue once on `device`, printing its label as it plays; false on failure.
    static func testSound(device: String, volume: Double?) -> Bool {
        let width = labels.values.map(\.count).max() ?? 0
        do {
            try TestSound(device: device, volume: volume).run { kind, tones in
                let label = labels[kind] ?? kind.rawValue
                // Written at once (not buffered), so each label shows as its cue plays.
                StandardStream.output.write((label + String(repeating: " ", count: width - label.count) + "  " + tones + "\n"))
            }
            return true
        } catch {
            StandardStream.error.write("cannot play on \(device): \(error) (see 'guidectl devices' for names)\n")
            return false
        }
    }
}
