import Foundation

/// Order statistics over a sample (nearest-rank percentiles).
struct Stats {
    let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    var count: Int { sorted.count }
    var isEmpty: Bool { sorted.isEmpty }

    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, rank - 1))]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var min: Double { sorted.first ?? .nan }
    var max: Double { sorted.last ?? .nan }
    var mean: Double { sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count) }
}

/// Least-squares slope of y over x.
func slope(x: [Double], y: [Double]) -> Double {
    guard x.count > 1 else { return .nan }
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    var num = 0.0, den = 0.0
    for (a, b) in zip(x, y) {
        num += (a - mx) * (b - my)
        den += (a - mx) * (a - mx)
    }
    return den == 0 ? .nan : num / den
}

func fmt(_ value: Double, _ digits: Int = 2) -> String {
    value.isNaN ? "–" : String(format: "%.\(digits)f", value)
}

func fmtBytes(_ bytes: Int) -> String {
    String(format: "%.1f MiB", Double(bytes) / 1_048_576)
}
