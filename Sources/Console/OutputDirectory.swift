import Foundation

/// Why a file cannot be created at a path, in words that say what to fix: its directory is
/// missing, is not a directory, or is not writable. Checked before work starts (the trainer's
/// outputs, the scorer's sockets) and to explain a failed write.
package enum OutputDirectory {
    /// nil when `path`'s directory exists and is writable.
    package static func problem(creating path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        let shown = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shown, isDirectory: &isDirectory) else {
            return "the directory \(shown) does not exist"
        }
        guard isDirectory.boolValue else { return "\(shown) is not a directory" }
        guard access(shown, W_OK | X_OK) == 0 else {
            return "the directory \(shown) is not writable (\(String(cString: strerror(errno))))"
        }
        return nil
    }
}
