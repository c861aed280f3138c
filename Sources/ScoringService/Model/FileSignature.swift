import Foundation

/// What identifies the bundle a path points at, as `stat` sees it through symlinks: a switched
/// `current` link changes the inode, a file rewritten in place changes size or mtime.
struct FileSignature: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    /// The link's target text, so a switch between two names of one file still counts.
    var linkTarget: String?

    /// `nil` when the path cannot be stat-ed (missing, dangling link).
    static func of(path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path)
        return FileSignature(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
            linkTarget: target)
    }
}
