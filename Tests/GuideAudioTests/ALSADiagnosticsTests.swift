import Foundation
import GuideAudio
import Logging
import Testing

/// Serialized: it redirects the process's stderr for a moment.
@Suite("ALSADiagnostics", .serialized)
struct ALSADiagnosticsTests {
    /// Runs `body` with file descriptor 2 pointing at a temporary file; returns what was
    /// written to it.
    func capturingStderr(_ body: () -> Void) throws -> String {
        let path = "/tmp/guide-audio-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let capture = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(capture >= 0)
        fflush(nil)
        let saved = dup(2)
        dup2(capture, 2)
        body()
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(capture)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("libasound's complaint about a missing card reaches the handler, not stderr")
    func missingCardIsQuiet() throws {
        let entries = Collector<RecordingLogHandler.Entry>()
        var logger = Logger.recording(entries)
        logger.logLevel = .debug
        ALSADiagnostics.route(to: logger)
        defer { ALSADiagnostics.route(to: .quiet) }

        var failure: ALSAError?
        let printed = try capturingStderr {
            do {
                _ = try PCMDevice.open(name: "hw:9")
            } catch let error as ALSAError {
                failure = error
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(failure?.code == ENOENT)
        #expect(!printed.contains("ALSA lib"), "libasound printed: \(printed)")
        // `aplay -D hw:9` prints "ALSA lib confmisc.c:…:(snd_config_get_card) Cannot get card index for 9".
        let message = try #require(ALSADiagnostics.recentMessages.last { $0.contains("card index for 9") })
        #expect(message.hasPrefix("ALSA lib "))
        let logged = entries.items.filter { $0.message == "libasound message" }
        #expect(logged.contains { $0.level == .debug && ($0.metadata["alsa"] ?? "").contains("card index for 9") })
    }
}
