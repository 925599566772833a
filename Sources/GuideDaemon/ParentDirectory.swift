/// The directory part of `path`, as `NSString.deletingLastPathComponent` gives it (which
/// needs all of Foundation): `/a/b/c` → `/a/b`, `/a` → `/`, `/` → `/`, `name` → `` and
/// trailing slashes ignored (`/a/b/` → `/a`).
func parentDirectory(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    if slash == trimmed.startIndex { return "/" }
    var parent = trimmed[..<slash]
    while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
    return String(parent)
}
