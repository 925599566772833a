#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `"$schema"` of a session file copied by `new --from`: a relative reference
/// (`"session.schema.json"`, beside the bundled sessions) would point at nothing beside
/// the copy, so it becomes the absolute `file://` URL of the schema it named, when that
/// file exists. Everything else in the text stays as it was (layout and key order).
enum SchemaReference {
    static func repointed(_ text: String, from sourcePath: String) -> String {
        guard let key = text.firstRange(of: "\"$schema\"") else { return text }
        var index = key.upperBound
        func skipSpace() { while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) } }
        skipSpace()
        guard index < text.endIndex, text[index] == ":" else { return text }
        index = text.index(after: index)
        skipSpace()
        guard index < text.endIndex, text[index] == "\"" else { return text }
        let valueStart = text.index(after: index)
        guard let valueEnd = text[valueStart...].firstIndex(where: { $0 == "\"" || $0 == "\\" }), text[valueEnd] == "\"" else { return text }
        let value = String(text[valueStart..<valueEnd])
        // Absolute paths and URLs (https:, file:) are fine where they are.
        guard !value.isEmpty, !value.hasPrefix("/"), !value.contains(":") else { return text }
        let directory = sourcePath.lastIndex(of: "/").map { String(sourcePath[..<$0]) } ?? "."
        let schema = URL(fileURLWithPath: directory + "/" + value).standardizedFileURL
        guard FileManager.default.fileExists(atPath: schema.path) else { return text }
        var result = text
        result.replaceSubrange(valueStart..<valueEnd, with: schema.absoluteString)
        return result
    }
}
