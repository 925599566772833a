#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one session file from disk: the only file reading GuideCore does.
///
/// The checks run in the order that keeps a bad file cheap: the name (the stem must be a
/// valid session name, checked before the file is opened), then the kind and size from
/// `fstat` on the opened descriptor (so a 2 GB file or a FIFO is never read), then a read
/// capped at 1 MiB + 1 byte (so a file that grows after the `fstat` still cannot make us
/// read it whole), then ``SessionDecoder``.
public enum SessionFile {
    /// Reads and decodes the session at `path`. Errors name the file (its last component)
    /// as ``SessionDecoder`` does.
    public static func read(path: String) throws(SessionError) -> Session {
        switch load(path: path) {
        case .success(let session): return session
        case .failure(let failure): throw failure.error
        }
    }

    /// Why a file did not load, and whether it is simply not there (removed, or a
    /// dangling symlink): the library treats a missing file as absent, not as broken.
    struct Failure: Error {
        var error: SessionError
        var missing: Bool
    }

    static func load(path: String) -> Result<Session, Failure> {
        let display = path.split(separator: "/").last.map(String.init) ?? path
        let stem = SessionDecoder.stem(of: display)
        if let problem = SessionName.problem(with: stem) {
            return .failure(Failure(error: SessionError(file: display, location: "", message: problem + "; rename the file"), missing: false))
        }
        do {
            let bytes = try readBytes(path: path, display: display)
            return .success(try SessionDecoder.decode(bytes, fileName: path))
        } catch let failure as Failure {
            return .failure(failure)
        } catch let error as SessionError {
            return .failure(Failure(error: error, missing: false))
        } catch {
            return .failure(Failure(error: SessionError(file: display, location: "", message: "\(error)"), missing: false))
        }
    }

    /// The bytes of the regular file at `path` (symlinks followed), at most 1 MiB.
    static func readBytes(path: String, display: String) throws(Failure) -> [UInt8] {
        func fail(_ message: String, missing: Bool = false) -> Failure {
            Failure(error: SessionError(file: display, location: "", message: message), missing: missing)
        }
        // O_NONBLOCK: opening a FIFO named `x.json` must not hang the daemon.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT {
                var link = stat()
                if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                    throw fail("is a symbolic link to a missing file", missing: true)
                }
                throw fail("does not exist", missing: true)
            }
            throw fail("cannot open the file: \(errorText(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("cannot read the file: \(errorText(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw fail("is a directory, not a session file")
        default: throw fail("is not a regular file (a session file must be a plain file)")
        }
        let limit = Session.maximumFileSize
        if info.st_size > limit {
            throw fail(tooLarge("is \(info.st_size) bytes"))
        }
        // Sized by fstat, not by the limit: a buffer of the limit's size would be touched
        // (zero-filled) for every file, and glibc keeps such freed megabytes resident, which
        // cost an idle daemon 1 MiB per session file. Reading goes on past the fstat size
        // (in chunks) so that a file that grew since is still read whole — or, past the
        // limit, refused.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        let chunkSize = 16 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress!, min(chunkSize, limit + 1 - bytes.count))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("cannot read the file: \(errorText(errno))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        if bytes.count > limit { throw fail(tooLarge("is more than \(limit) bytes")) }
        return bytes
    }

    private static func tooLarge(_ size: String) -> String {
        "file \(size); a session file may be at most 1 MiB (\(Session.maximumFileSize) bytes)"
    }

    static func errorText(_ code: Int32) -> String {
        SystemError(errno: code).description
    }
}

/// `read(2)`; named apart because `SessionFile.read(path:)` hides it inside the type.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
