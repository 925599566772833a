import FoundationEssentials

/// The committed fuzz inputs under `Fuzz/` (seeds and saved findings), for the tests that
/// replay them through ``FuzzOracle``.
public enum FuzzCorpus {
    /// The package root, found from this file's place in the source tree.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The files of `Fuzz/DIRECTORY`, sorted by name.
    public static func inputs(_ directory: String) -> [String] {
        let path = packageRoot + "/Fuzz/" + directory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    public static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        return [UInt8](data)
    }
}
