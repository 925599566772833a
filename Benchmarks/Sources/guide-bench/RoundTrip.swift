import Foundation
import Glibc

/// `status` request→reply on one open connection, in µs.
struct RoundTripReport {
    var guidedIdle: [Double] = []
    var guidedRunning: [Double] = []
    var mpd: [Double] = []
    var failure: String?
}

enum RoundTrip {
    /// `count` round trips per target, in interleaved blocks so that all three see the
    /// same machine load.
    static func run(idle: GuidedInstance, running: GuidedInstance, mpd: MPDInstance, count: Int, blocks: Int = 20) -> RoundTripReport {
        var report = RoundTripReport()
        do {
            let guidedRequest = Array(#"{"id":1,"command":"status"}"#.utf8) + [0x0A]
            let mpdRequest = Array("status\n".utf8)
            let gi = try idle.connect(), gr = try running.connect()
            let m = try LineSocket(path: mpd.socket)
            _ = try m.readLine()  // greeting
            let guidedDone: (UnsafeBufferPointer<UInt8>) -> Bool = { $0.last == 0x0A }
            let mpdDone: (UnsafeBufferPointer<UInt8>) -> Bool = { b in
                let n = b.count
                guard n >= 3, b[n - 1] == 0x0A else { return false }
                if b[n - 3] == 0x4F && b[n - 2] == 0x4B && (n == 3 || b[n - 4] == 0x0A) { return true }  // OK
                return b.starts(with: Array("ACK".utf8))
            }
            func time(_ s: LineSocket, _ req: [UInt8], _ done: (UnsafeBufferPointer<UInt8>) -> Bool, _ n: Int, into: inout [Double]) throws {
                for _ in 0..<n {
                    let t0 = Monotonic.now()
                    try s.roundTrip(req, complete: done)
                    into.append(Double(Monotonic.now() - t0) / 1000)
                }
            }
            var discard: [Double] = []
            try time(gi, guidedRequest, guidedDone, 2000, into: &discard)  // warm-up
            try time(gr, guidedRequest, guidedDone, 2000, into: &discard)
            try time(m, mpdRequest, mpdDone, 2000, into: &discard)
            let per = count / blocks
            report.guidedIdle.reserveCapacity(count)
            report.guidedRunning.reserveCapacity(count)
            report.mpd.reserveCapacity(count)
            for _ in 0..<blocks {
                try time(gi, guidedRequest, guidedDone, per, into: &report.guidedIdle)
                try time(gr, guidedRequest, guidedDone, per, into: &report.guidedRunning)
                try time(m, mpdRequest, mpdDone, per, into: &report.mpd)
            }
        } catch {
            report.failure = "\(error)"
        }
        return report
    }
}
