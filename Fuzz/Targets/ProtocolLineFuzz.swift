// libFuzzer entry point for the protocol line decoder: bytes go through `LineFramer`, each
// line (and the whole input) through `Request.parse(line:)`, and every result or failure
// reply through `WireCoding`. Built by Fuzz/run.sh together with
// Sources/GuideTestSupport/FuzzOracle.swift, which holds the checks.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let outcome = FuzzOracle.checkProtocol(bytes)
    if !outcome.problems.isEmpty {
        fatalError("protocol invariant broken: " + outcome.problems.joined(separator: "; "))
    }
    return 0
}
