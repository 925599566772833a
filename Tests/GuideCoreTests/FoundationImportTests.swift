import Foundation
import Testing

/// guide builds on FoundationEssentials only: all of Foundation (with ICU's data) made the
/// installed `guided` ~90 MiB. This fails when `import Foundation` comes back anywhere in
/// Sources/, except as the `#else` of `#if canImport(FoundationEssentials)` (for
/// platforms without FoundationEssentials).
@Suite struct FoundationImportTests {
    /// Files that still need all of Foundation, each for a reason being worked on in
    /// another branch. Remove a file from here once it is converted; the test fails if a
    /// listed file no longer imports Foundation, so the list only shrinks.
    static let pending: Set<String> = []

    /// `import Foundation` (or a submodule of it), whatever attributes precede it.
    static func importsFoundation(_ line: Substring) -> Bool {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        guard words.count >= 2, words[words.startIndex] == "import" else { return false }
        let module = words[words.startIndex + 1]
        return module == "Foundation" || module.hasPrefix("Foundation.")
    }

    /// The Sources/ files (relative paths) with a plain `import Foundation`.
    static func filesImportingFoundation() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources").path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
        var found: Set<String> = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for (index, line) in lines.enumerated() where importsFoundation(Substring(line)) {
                let fallback =
                    index >= 3 && lines[index - 1] == "#else" && lines[index - 2] == "import FoundationEssentials"
                    && lines[index - 3] == "#if canImport(FoundationEssentials)"
                if !fallback { found.insert(relative) }
            }
        }
        return found
    }

    @Test func noTargetImportsAllOfFoundation() throws {
        let found = try Self.filesImportingFoundation()
        let unexpected = found.subtracting(Self.pending).sorted()
        #expect(
            unexpected.isEmpty,
            "import FoundationEssentials instead of Foundation in: \(unexpected.joined(separator: ", ")) (write what FoundationEssentials lacks, e.g. String(format:), with our own code)"
        )
        let converted = Self.pending.subtracting(found).sorted()
        #expect(converted.isEmpty, "no longer imports Foundation, remove from FoundationImportTests.pending: \(converted.joined(separator: ", "))")
    }

    @Test func theScanRecognisesImports() {
        #expect(Self.importsFoundation("import Foundation"))
        #expect(Self.importsFoundation("@preconcurrency import Foundation"))
        #expect(Self.importsFoundation("import Foundation.NSString"))
        #expect(!Self.importsFoundation("import FoundationEssentials"))
        #expect(!Self.importsFoundation("// import Foundation is gone"))
    }
}
