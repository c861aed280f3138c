import Console
import Foundation
import ModelFormat

/// The models directory the nightly job publishes into and the scorer reads from.
///
/// Layout: `prospector-<bundle id>.bundle` per run, beside it the run's
/// `prospector-<bundle id>.{predictions.csv,submission.csv,report.html}`, and `current`, a
/// relative symbolic link to the bundle being served, and `.cache/`, the step cache. Every file
/// is published through ``AtomicFile`` (a hidden temporary, flushed and renamed into place);
/// `current` is switched last, by renaming a new link over it, so a reader sees the old bundle
/// or the new one, never a partial file, and a run that fails or is killed leaves `current`
/// where it was. The temporaries a killed run leaves are removed by the next publish.
package struct ModelStore: Sendable {
    package let directory: String
    /// Bundles kept, newest first; older ones and their companion files are removed after a
    /// successful publish (never the one `current` points to).
    package var retention: Int

    package static let currentLink = "current"
    package static let prefix = "prospector-"
    package static let bundleSuffix = ".bundle"

    package init(directory: String, retention: Int = 7) {
        self.directory = directory
        self.retention = max(1, retention)
    }

    package var currentPath: String { directory + "/" + Self.currentLink }

    /// Where `trainer train` keeps its ``StageCache``.
    package var cacheDirectory: String { directory + "/.cache" }

    package func bundlePath(id: String) -> String { directory + "/" + Self.prefix + id + Self.bundleSuffix }

    /// A companion file of bundle `id`, e.g. `predictions.csv`.
    package func companionPath(id: String, _ suffix: String) -> String { directory + "/" + Self.prefix + id + "." + suffix }

    /// Writes the companions, then the bundle, then switches `current`, then applies retention.
    /// Returns the bundle's path.
    @discardableResult
    package func publish(_ bundle: ModelBundle, companions: [(suffix: String, bytes: [UInt8])]) throws(TrainingError) -> String {
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
    package func switchCurrent(to path: String) throws(TrainingError) {
        do {
            try AtomicFile.symlink(target: (path as NSString).lastPathComponent, at: currentPath)
        } catch {
            throw .cannotPublish(path: error.path, problem: error.reason)
        }
    }

    /// The bundle `current` points to, if any.
    package func currentBundleName() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: currentPath)
    }

    /// Bundle ids in the directory, oldest first (ids start with their creation time).
    package func bundleIds() -> [String] {
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

    /// Removes the temporary files runs that were killed left here and in the cache (see
    /// ``AtomicFile/removeAbandonedTemporaries(in:)``); returns their paths.
    @discardableResult
    package func removeAbandonedTemporaries() -> [String] {
        [directory, cacheDirectory].flatMap { folder in
            AtomicFile.removeAbandonedTemporaries(in: folder).map { folder + "/" + $0 }
        }
    }

    /// Writes `bytes` to `path` through ``AtomicFile``, with the error `trainer` reports.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(TrainingError) {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            try checkDirectory(of: path)
            throw .cannotPublish(path: path, problem: error.reason)
        }
    }

    /// Fails naming the directory when `path`'s directory is missing, not a directory or not
    /// writable: the reason a write there failed, in words that say what to fix.
    package static func checkDirectory(of path: String) throws(TrainingError) {
        if let problem = OutputDirectory.problem(creating: path) { throw .cannotPublish(path: path, problem: problem) }
    }

    /// Whether a run could publish here: `directory` exists and is writable, or can be created
    /// in its nearest existing parent. Checked before a run, so it does not fail after an hour.
    package func checkCanPublish() throws(TrainingError) {
        var existing = directory
        while !FileManager.default.fileExists(atPath: existing) {
            let parent = (existing as NSString).deletingLastPathComponent
            // A relative path's last parent is the working directory.
            if parent == existing { break }
            existing = parent.isEmpty ? "." : parent
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
}
