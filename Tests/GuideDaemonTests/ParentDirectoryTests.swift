import Testing

@testable import GuideDaemon

/// The directory part of a path, as `NSString.deletingLastPathComponent` gave it before
/// GuideDaemon dropped Foundation: the socket's and the history's directories.
@Suite struct ParentDirectoryTests {
    @Test func asNSStringDidIt() {
        let cases: [(String, String)] = [
            ("/run/user/1000/guide/guided.sock", "/run/user/1000/guide"), ("/guided.sock", "/"), ("/", "/"),
            ("guided.sock", ""), ("dir/guided.sock", "dir"), ("/a/b/", "/a"), ("/a//b", "/a"), ("", ""),
        ]
        for (path, parent) in cases {
            #expect(parentDirectory(of: path) == parent, "\(path)")
        }
    }
}
