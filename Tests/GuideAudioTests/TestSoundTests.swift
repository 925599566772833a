import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

@Suite("TestSound and DeviceList")
struct TestSoundTests {
    @Test("test-sound plays every cue once, labelled, in session order")
    func playsPalette() throws {
        let sink = RecordingSink()
        var labels: [(CueKind, String)] = []
        try TestSound(device: "test", volume: 0.5, pause: .zero, sinkFactory: { _ in sink }).run { labels.append(($0, $1)) }
        #expect(labels.map(\.0) == [.start, .step, .countdown, .side, .rest, .end])
        #expect(labels.first { $0.0 == .side }?.1 == "660 Hz 120 ms, 80 ms pause, 660 Hz 120 ms")
        #expect(labels.first { $0.0 == .start }?.1 == "523 Hz 150 ms, 784 Hz 150 ms")
        #expect(sink.cues.map(\.samples) == TestSound.order.map { standardSamples($0, volume: 0.5) })
        #expect(sink.events.first == .opened(sampleRate: 48_000))
        #expect(sink.events.last == .closed)
    }

    @Test("test-sound on a missing device throws the ALSA error before any label")
    func missingDevice() throws {
        var labels = 0
        let error = try #require(throws: ALSAError.self) {
            try TestSound(device: "hw:9", pause: .zero).run { _, _ in labels += 1 }
        }
        #expect(error.description == "cannot open ALSA device \"hw:9\": No such file or directory")
        #expect(labels == 0)
    }

    @Test("test-sound plays through ALSA on the null device")
    func nullDevice() throws {
        var labels = 0
        try TestSound(device: "null", pause: .milliseconds(1)).run { _, _ in labels += 1 }
        #expect(labels == 6)
    }

    @Test("the device list names the null PCM with its description")
    func deviceList() throws {
        let devices = try DeviceList.pcmNames()
        let null = try #require(devices.first { $0.name == "null" })
        #expect(null.description.contains("Discard all samples"))
    }
}
