/// Suggests the known word nearest to a misspelt one, for "did you mean" hints.
public enum Spelling {
    /// The candidate within edit distance 2 (or a third of the word) of `word`, if any.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let lowered = word.lowercased()
        let length = lowered.count
        // The distance is at least the difference in length: skipping candidates that cannot
        // be within the limit keeps a 1 MiB unknown key from costing a 1 MiB × name-length
        // table per candidate (found by Fuzz/run.sh; see the FuzzRegressionTests).
        let scored = candidates.map { ($0, $0.lowercased()) }
            .filter { abs($0.1.count - length) <= limit }
            .map { ($0.0, distance(lowered, $0.1)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit, best.1 > 0 else { return nil }
        return best.0
    }

    /// Levenshtein distance between two short strings.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
