import CALSAShim
import Foundation
import GuideAudio
import GuideCore
import GuideTestSupport
import Testing

@Suite("PCMDevice")
struct PCMDeviceTests {
    @Test("a file device receives exactly the samples played, cue after cue")
    func fileDeviceWritesExactly() throws {
        let file = TemporaryRawFile()
        defer { file.remove() }
        let first = standardSamples(.start)
        let second = standardSamples(.side)
        let device = try PCMDevice.open(name: file.device, rate: 48_000, channels: 1)
        for samples in [first, second] {
            try device.prepare()
            try device.write(samples)
            try device.drain()
        }
        // The drain flushed the tail: the file is complete before close.
        #expect(try ToneAnalysis.readRawS16LE(path: file.path) == first + second)
        device.close()
        #expect(try ToneAnalysis.readRawS16LE(path: file.path) == first + second)
    }

    @Test("after a drain, writing without prepare fails with EBADFD (why prepare is per cue)")
    func writeAfterDrainNeedsPrepare() throws {
        let device = try PCMDevice.open(name: "null")
        try device.prepare()
        try device.write(standardSamples(.countdown))
        try device.drain()
        let error = try #require(throws: ALSAError.self) { try device.write(standardSamples(.countdown)) }
        #expect(error.code == 77)
        #expect(error.operation == .write)
        try device.prepare()
        try device.write(standardSamples(.countdown))
        try device.drain()
    }

    @Test("the null device takes cues")
    func nullDevice() throws {
        let device = try PCMDevice.open(name: "null", rate: 48_000, channels: 1)
        #expect(device.isOpen)
        for kind in CueKind.allCases {
            try device.prepare()
            try device.write(standardSamples(kind))
            try device.drain()
        }
        device.close()
        #expect(!device.isOpen)
    }

    @Test("close is idempotent and a closed device refuses work instead of crashing")
    func closeOnce() throws {
        let device = try PCMDevice.open(name: "null")
        device.close()
        device.close()
        let error = try #require(throws: ALSAError.self) { try device.prepare() }
        #expect(error.operation == .prepare)
        #expect(error.device == "null")
    }

    @Test("a missing device fails with libasound's error text")
    func missingDevice() throws {
        let error = try #require(throws: ALSAError.self) { try PCMDevice.open(name: "hw:9") }
        #expect(error.code == ENOENT)
        #expect(error.operation == .open)
        #expect(error.message == String(cString: guide_strerror(-ENOENT)))
        #expect(error.message == "No such file or directory")
        #expect(error.description == "cannot open ALSA device \"hw:9\": No such file or directory")
    }

    @Test("an unknown PCM name fails the same way")
    func unknownName() throws {
        let error = try #require(throws: ALSAError.self) { try PCMDevice.open(name: "no-such-pcm-name") }
        #expect(error.operation == .open)
        #expect(error.description.hasPrefix("cannot open ALSA device \"no-such-pcm-name\": "))
        #expect(error.message == String(cString: guide_strerror(-error.code)))
    }
}
