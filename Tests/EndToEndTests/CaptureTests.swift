import Foundation
import GuideProtocol
import GuideTestSupport
import Testing

/// README's capture without a sound server: an ALSA `file` PCM with `truncate false`
/// starts a new numbered file at each reopen instead of emptying the one it wrote, so the
/// files together hold every cue of a session across the device's release and reopen
/// (issue 14 item 5; `file:'…',raw` keeps only what followed the last reopen).
@Suite("capture without a sound server")
struct CaptureTests {
    @Test("a session whose device is released and reopened: the capture files hold every cue, in order")
    func everyCueAcrossReopen() throws {
        let daemon = try DaemonFixture(sessions: ["hold": SoundServerTests.hold], audioDevice: "guide_capture")
        let capture = daemon.root + "/cues.raw"
        // The snippet README gives, in the daemon's own ALSA configuration.
        let directory = daemon.root + "/config/alsa"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(
            """
            pcm.guide_capture {
                type file
                slave.pcm null
                file "\(capture)"
                format raw
                truncate false
            }

            """.utf8
        ).write(to: URL(fileURLWithPath: directory + "/asoundrc"))
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        #expect(try daemon.request(.start, session: "hold").ok)
        let events = try SubscriptionTests.events(on: watcher, until: .finished, timeout: .seconds(30))
        #expect(events.last?.event == .finished)
        #expect(eventually(timeout: .seconds(5)) { daemon.log.components(separatedBy: "audio device released").count >= 3 }, "\(daemon.log)")

        // cues.raw, then cues.raw.0001, … (the order `ls` and a shell glob give).
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.root)
            .filter { $0.hasPrefix("cues.raw") }.sorted()
        #expect(files.count >= 2, "released in the quiet stretch, reopened for the countdown: \(files)")
        let samples = try files.flatMap { try ToneAnalysis.readRawS16LE(path: daemon.root + "/" + $0) }
        // start (523, 784), the countdown (1320 ×3), end (784, 660, 523). A file device
        // takes cues back to back, without the silence between them, so the three
        // countdown ticks run together: they are counted by their length below.
        let pitches = ToneAnalysis.pitchSequence(samples, candidates: [440, 523, 660, 784, 880, 1320])
        #expect(pitches == [523, 784, 1320, 784, 660, 523], "\(files)")
        // The file written after the reopen starts with the three 60 ms countdown ticks.
        let reopened = try ToneAnalysis.readRawS16LE(path: daemon.root + "/" + files.last!)
        let tick = 60 * 48
        try #require(reopened.count > 4 * tick)
        for index in 0..<3 {
            let frequency = ToneAnalysis.dominantFrequency(of: reopened[(index * tick + 240)..<((index + 1) * tick - 240)], sampleRate: 48_000)
            #expect(abs(frequency - 1320) < 20, "countdown tick \(index + 1): \(frequency) Hz")
        }
        let after = ToneAnalysis.dominantFrequency(of: reopened[(3 * tick + 240)..<(4 * tick)], sampleRate: 48_000)
        #expect(abs(after - 784) < 20, "the end cue follows the third tick: \(after) Hz")
    }
}
