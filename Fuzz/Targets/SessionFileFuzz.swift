// libFuzzer entry point for the session file decoder and validator:
// `SessionDecoder.decode(_:fileName: "fuzz.json")`, then for accepted sessions the timeline
// invariants (cues sorted, total equal to `Timeline.totalDuration(of:)`, at most 12 h…).
// Built by Fuzz/run.sh together with Sources/GuideTestSupport/FuzzOracle.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let outcome = FuzzOracle.checkSession(bytes)
    if !outcome.problems.isEmpty {
        fatalError("session invariant broken: " + outcome.problems.joined(separator: "; "))
    }
    return 0
}
