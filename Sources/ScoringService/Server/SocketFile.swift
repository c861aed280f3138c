import Foundation
import NIOCore

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

    /// Binds a listening socket that appears at `path` already with `mode`: `bind` is given a
    /// path inside a new directory next to `path` that only this user can enter (mkdtemp makes
    /// it 0700 whatever the umask), the socket file is given its mode there, then renamed onto
    /// `path`. No process-wide umask is touched, and no other user can reach the socket before
    /// its mode is final. Call ``prepare(path:)`` first.
    static func bindPrivately(
        path: String, mode: mode_t, bind: (String) -> EventLoopFuture<any Channel>
    ) async throws(ScorerError) -> any Channel {
        let parent = (path as NSString).deletingLastPathComponent
        var template = Array(((parent.isEmpty ? "." : parent) + "/.scorer-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw .cannotBind(path: path, reason: "cannot create a private directory beside it: \(String(cString: strerror(errno)))")
        }
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { rmdir(directory) }
        let privatePath = directory + "/s"
        guard privatePath.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw .socketPathTooLong(path: privatePath)
        }
        let channel: any Channel
        do {
            channel = try await bind(privatePath).get()
        } catch {
            unlink(privatePath)
            throw .cannotBind(path: path, reason: "\(error)")
        }
        do throws(ScorerError) {
            guard chmod(privatePath, mode) == 0 else {
                throw .cannotSetSocketMode(path: path, reason: String(cString: strerror(errno)))
            }
            guard rename(privatePath, path) == 0 else {
                throw .cannotBind(path: path, reason: "cannot move the socket into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? await channel.close()
            unlink(privatePath)
            throw error
        }
        return channel
    }
}
