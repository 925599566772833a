import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import GuideAudio
import GuideCore

/// `guided --list-devices` and `guided --test-sound`: the ALSA checks that `guidectl
/// devices` and `guidectl test-sound` run (guidectl execs guided for them, so that the
/// CLI itself never loads libasound and starts as fast as a status bar needs).
enum AudioChecks {
    /// `guided`, or `guidectl` when guidectl exec'd us for `test-sound` / `devices` (it
    /// passes that as argv[0]), so that the error line names the command the user typed.
    static var program: String {
        CommandLine.arguments.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "guided"
    }

    /// Prints the PCM names, aligned, with their descriptions; false on failure.
    static func listDevices() -> Bool {
        let devices: [(name: String, description: String)]
        do {
            devices = try DeviceList.pcmNames()
        } catch {
            StandardStream.error.write("\(program): cannot list ALSA devices: \(error)\n")
            return false
        }
        let width = devices.map(\.name.count).max() ?? 0
        for device in devices {
            let description = device.description.split(separator: "\n").joined(separator: ", ")
            print(description.isEmpty ? device.name : device.name + String(repeating: " ", count: width - device.name.count) + "  " + description)
        }
        return true
    }

    /// The advice after a failed test: the error's text is the daemon's own (one cause,
    /// one message); what to try depends on the errno.
    static func whatToTry(_ error: any Error) -> String {
        guard let alsa = error as? ALSAError else { return "see 'guidectl devices' for names" }
        switch alsa.code {
        case EHOSTDOWN, ECONNREFUSED:
            let flag = program == "guidectl" ? "--device" : "--audio-device"
            return "no sound server answers for it: start PipeWire or PulseAudio, or try \(flag) hw:0; see 'guidectl devices'"
        case EBUSY:
            return "another program holds it: close that program, or try \(program == "guidectl" ? "--device" : "--audio-device") default"
        default:
            return "see 'guidectl devices' for names"
        }
    }

    static let labels: [CueKind: String] = [
        .start: "session start", .step: "step start", .countdown: "countdown tick",
        .side: "side switch", .rest: "rest step start", .end: "session end",
    ]

    /// The session `argument` names for `--test-sound --session`: a file when it contains a
    /// "/" or ends in ".json", else a name on the search path. Exits 65 with the session's
    /// one-line error when it does not load (a missing sound file, …), 1 when no such name.
    static func session(_ argument: String, directories: [String]) throws(ExitCode) -> Session {
        func fail(_ message: String, _ code: ExitCode) -> ExitCode {
            StandardStream.error.write("\(program): " + message + "\n")
            return code
        }
        if argument.contains("/") || argument.hasSuffix(".json") {
            do {
                return try SessionFile.read(path: argument)
            } catch {
                throw fail(SessionError(file: argument, location: error.location, message: error.message).description, ExitCode(65))
            }
        }
        let library = SessionLibrary.load(directories: directories)
        if let loaded = library.session(named: argument) { return loaded.session }
        if let error = library.errors.first(where: { $0.name == argument }) { throw fail(error.message, ExitCode(65)) }
        throw fail("no session named \"\(argument)\" on the search path; see 'guidectl list', or give a file path", ExitCode(1))
    }

    /// Plays every cue once on `device`, printing its label as it plays; false on failure.
    /// With a session, its own cues at the volume the daemon would use.
    static func testSound(device: String, volume: Double?, session: Session? = nil) -> Bool {
        let width = labels.values.map(\.count).max() ?? 0
        let sounds = session?.sounds ?? .standard
        let effectiveVolume = session.map {
            CuePlayer.effectiveVolume(sounds: $0.sounds, hasOwnVolume: $0.hasOwnVolume, volumeOverride: volume)
        } ?? volume
        do {
            try TestSound(device: device, sounds: sounds, volume: effectiveVolume).run { kind, tones in
                let label = labels[kind] ?? kind.rawValue
                // Written at once (not buffered), so each label shows as its cue plays.
                StandardStream.output.write((label + String(repeating: " ", count: width - label.count) + "  " + tones + "\n"))
            }
            return true
        } catch {
            StandardStream.error.write("\(program): \(error) (\(whatToTry(error)))\n")
            return false
        }
    }
}
