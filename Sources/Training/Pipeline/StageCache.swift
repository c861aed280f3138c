import Foundation
import ModelFormat

/// Results of earlier runs' steps, keyed by everything the step depends on (the input files'
/// fingerprints, its options, the upstream steps' keys and the Prospector version), so a re-run
/// with unchanged inputs skips reading and fitting.
///
/// Each entry is a bundle file (the same container as a model bundle): written atomically, and
/// checksummed, so a torn or corrupt entry is detected on load, reported, deleted and rebuilt.
package struct StageCache: Sendable {
    package let directory: String
    /// Entries kept per step (the newest).
    package var keep: Int = 3

    package init(directory: String) {
        self.directory = directory
    }

    /// A key from the parts a step depends on.
    package static func key(_ parts: [String]) -> String {
        let hash = XXH64.hash(Array(parts.joined(separator: "\u{1F}").utf8))
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    func path(step: String, key: String) -> String { directory + "/\(step)-\(key).cache" }

    /// Removes the temporaries of entries whose writer was killed; returns their names.
    @discardableResult
    package func removeAbandonedTemporaries() -> [String] {
        AtomicFile.removeAbandonedTemporaries(in: directory)
    }

    package enum Lookup {
        case hit(ModelBundle)
        case miss
        /// The entry existed but did not verify; it was removed.
        case corrupt(String)
    }

    package func load(step: String, key: String) -> Lookup {
        let path = path(step: step, key: key)
        guard FileManager.default.fileExists(atPath: path) else { return .miss }
        do {
            return .hit(try BundleFile.read(path: path))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            return .corrupt(error.description)
        }
    }

    /// Stores an entry (best effort: a cache that cannot be written only costs time later).
    package func store(step: String, key: String, _ entry: ModelBundle) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try BundleFile.write(entry, to: path(step: step, key: key))
            prune(step: step)
        } catch {}
    }

    private func prune(step: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let entries = names.filter { $0.hasPrefix(step + "-") && $0.hasSuffix(".cache") }.compactMap { name -> (String, Date)? in
            let path = directory + "/" + name
            guard let date = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
            return (path, date)
        }.sorted { $0.1 > $1.1 }
        for (path, _) in entries.dropFirst(keep) { try? manager.removeItem(atPath: path) }
    }
}
