/// A session's name: the file stem that `guidectl start NAME` takes.
///
/// Checked before any path is built from it, so that a name can never walk out of a
/// session directory (`..`, `/`, NUL and friends are simply not in the alphabet).
public enum SessionName {
    public static let maximumLength = 64

    /// Whether `name` matches `^[a-z0-9][a-z0-9-]{0,63}$`.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maximumLength else { return false }
        func allowed(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        return allowed(first) && bytes.dropFirst().allSatisfy { allowed($0) || $0 == 0x2D }
    }

    /// One line that says what is wrong with `name` and what is allowed.
    public static func problem(with name: String) -> String? {
        if isValid(name) { return nil }
        return "\(JSONValue.quoted(name)) is not a valid session name "
            + "(use 1–64 lowercase letters, digits and '-', starting with a letter or digit)"
    }
}
