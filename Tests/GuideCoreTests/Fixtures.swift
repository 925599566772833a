import Foundation
@testable import GuideCore

/// Paths and scratch directories shared by the GuideCore tests.
enum Fixtures {
    /// The package root, found from this file's path (`Tests/GuideCoreTests/Fixtures.swift`).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The bundled `Sessions/` directory.
    static var sessionsDirectory: String { packageRoot + "/Sessions" }

    /// The description of the error `SessionDecoder` throws for `json`, or nil if it decodes.
    static func decodeError(_ json: String, file: String = "cooldown.json") -> String? {
        do {
            _ = try SessionDecoder.decode(Array(json.utf8), fileName: file)
            return nil
        } catch {
            return error.description
        }
    }
}

/// A fresh directory under the system temporary directory, removed on deinit, so that
/// every test works on files of its own.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var base = NSTemporaryDirectory()
        while base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/guide-core-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    deinit {
        // chmod back first, in case a test made a subdirectory unreadable.
        _ = try? FileManager.default.subpathsOfDirectory(atPath: path).forEach {
            chmod(path + "/" + $0, 0o755)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Creates (or replaces) `relativePath` with `contents`, creating parent directories.
    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> String {
        try write(relativePath, bytes: Array(contents.utf8))
    }

    @discardableResult
    func write(_ relativePath: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func makeDirectory(_ relativePath: String) throws -> String {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    /// A symbolic link at `relativePath` pointing at `target` (taken as is).
    func symlink(_ relativePath: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relativePath, withDestinationPath: target)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relativePath)
    }
}

/// A minimal valid session with the given title.
func sessionJSON(title: String, duration: String = "45") -> String {
    "{\"title\": \"\(title)\", \"steps\": [{\"name\": \"Stretch\", \"duration\": \(duration)}]}"
}
