import Console
import Foundation
import ModelFormat

/// The models directory the nightly job publishes into and the scorer reads from.
///
/// Layout: `prospector-<bundle id>.bundle` per run, beside it the run's
/// `prospector-<bundle id>.{predictions.csv,submission.csv,report.html}`, and `current`, a
/// relative symbolic link to the bundle being served. Every file is written to a hidden
/// temporary name, flushed and renamed into place; `current` is switched last, by renaming a
/// new link over it, so a reader sees the old bundle or the new one, never a partial file,
/// and a run that fails or is killed leaves `current` where it was.
public struct ModelStore: Sendable {
    public let directory: String
    /// Bundles kept, newest first; older ones and their companion files are removed after a
    /// successful publish (never the one `current` points to).
    public var retention: Int

    public static let currentLink = "current"
    public static let prefix = "prospector-"
    public static let bundleSuffix = ".bundle"

    public init(directory: String, retention: Int = 7) {
        self.directory = directory
        self.retention = max(1, retention)
    }

    public var currentPath: String { directory + "/" + Self.currentLink }

    public func bundlePath(id: String) -> String { directory + "/" + Self.prefix + id + Self.bundleSuffix }

    /// A companion file of bundle `id`, e.g. `predictions.csv`.
    public func companionPath(id: String, _ suffix: String) -> String { directory + "/" + Self.prefix + id + "." + suffix }

    /// Writes the companions, then the bundle, then switches `current`, then applies retention.
    /// Returns the bundle's path.
    @discardableResult
    public func publish(_ bundle: ModelBundle, companions: [(suffix: String, bytes: [UInt8])]) throws(TrainingError) -> String {
        let id = bundle.manifest.bundleId
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotPublish(path: directory, problem: "\(error.localizedDescription)")
        }
        removeAbandonedTemporaries()
        var written: [String] = []
        do throws(TrainingError) {
            for (suffix, bytes) in companions {
                let path = companionPath(id: id, suffix)
                try Self.writeAtomically(bytes, to: path)
                written.append(path)
            }
            let path = bundlePath(id: id)
            do {
                try BundleFile.write(bundle, to: path)
            } catch {
                throw TrainingError.cannotPublish(path: path, problem: error.description)
            }
            written.append(path)
            try switchCurrent(to: path)
        } catch {
            for path in written { unlink(path) }
            throw error
        }
        applyRetention()
        return bundlePath(id: id)
    }

    /// Points `current` at `path` (a bundle in this directory) atomically.
    public func switchCurrent(to path: String) throws(TrainingError) {
        let target = (path as NSString).lastPathComponent
        let temporary = directory + "/.\(Self.currentLink).tmp-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else {
            throw .cannotPublish(path: temporary, problem: String(cString: strerror(errno)))
        }
        guard rename(temporary, currentPath) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotPublish(path: currentPath, problem: problem)
        }
        Self.syncDirectory(directory)
    }

    /// The bundle `current` points to, if any.
    public func currentBundleName() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: currentPath)
    }

    /// Bundle ids in the directory, oldest first (ids start with their creation time).
    public func bundleIds() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(Self.prefix) && $0.hasSuffix(Self.bundleSuffix) }
            .map { String($0.dropFirst(Self.prefix.count).dropLast(Self.bundleSuffix.count)) }
            .sorted()
    }

    func applyRetention() {
        let ids = bundleIds()
        guard ids.count > retention else { return }
        let current = currentBundleName()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for id in ids.dropLast(retention) where Self.prefix + id + Self.bundleSuffix != current {
            for name in names where name.hasPrefix(Self.prefix + id + ".") { unlink(directory + "/" + name) }
        }
    }

    /// Temporary files left by a run that was killed (their process is gone).
    func removeAbandonedTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: ".tmp-") else { continue }
            let pidText = name[range.upperBound...].prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// Writes `bytes` to a hidden temporary file beside `path`, flushes it and renames it over `path`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(TrainingError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            try checkDirectory(of: path)
            throw .cannotPublish(path: path, problem: reason)
        }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .cannotPublish(path: path, problem: failure)
        }
    }

    /// Fails naming the directory when `path`'s directory is missing, not a directory or not
    /// writable: the reason a write there failed, in words that say what to fix.
    public static func checkDirectory(of path: String) throws(TrainingError) {
        if let problem = OutputDirectory.problem(creating: path) { throw .cannotPublish(path: path, problem: problem) }
    }

    /// Whether a run could publish here: `directory` exists and is writable, or can be created
    /// in its nearest existing parent. Checked before a run, so it does not fail after an hour.
    public func checkCanPublish() throws(TrainingError) {
        var existing = directory
        while !FileManager.default.fileExists(atPath: existing) {
            let parent = (existing as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == existing { break }
            existing = parent
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: existing, isDirectory: &isDirectory), isDirectory.boolValue,
            access(existing, W_OK) == 0
        {
            return
        }
        if existing == directory {
            try Self.checkDirectory(of: directory + "/" + Self.currentLink)
        } else {
            throw .cannotPublish(
                path: directory, problem: isDirectory.boolValue
                    ? "cannot create it: \(existing) is not writable (\(String(cString: strerror(EACCES))))"
                    : "cannot create it: \(existing) is not a directory")
        }
    }

    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
