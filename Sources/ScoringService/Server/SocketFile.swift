import Foundation

/// Preparing a Unix socket path: a stale file left by a dead process is removed, a live
/// listener or a file that is not a socket is refused.
enum SocketFile {
    /// Makes `path` free to bind, or throws why it is not.
    static func prepare(path: String) throws(ScorerError) {
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw .socketPathTooLong(path: path)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
        if isListening(path: path) { throw .socketInUse(path: path) }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .cannotRemoveStaleSocket(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Whether a process accepts connections on `path` (a refused connect means a stale file).
    static func isListening(path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Sets the socket file's permission bits (it was created under a umask that left it private).
    static func setMode(path: String, mode: mode_t) throws(ScorerError) {
        guard chmod(path, mode) == 0 else {
            throw .cannotSetSocketMode(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Runs `body` with a umask that keeps a new socket file unreadable by others until its
    /// mode is set, so there is no moment when it is wider than asked for.
    static func withPrivateUmask<T>(_ body: () throws -> T) rethrows -> T {
        let old = umask(0o177)
        defer { umask(old) }
        return try body()
    }
}
