import Foundation
import ModelFormat

/// Name, size and content hash of an input file: what the manifest records and what the
/// stage cache is keyed by, so a changed byte anywhere means a refit.
package struct InputFingerprint: Sendable, Hashable, Codable {
    package var name: String
    package var size: Int
    /// `xxh64:` then 16 hex digits of the whole file's XXH64.
    package var contentHash: String

    /// Hashes the file at `path` (mapped, one pass).
    package init(path: String) throws(TrainingError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(file: path, problem: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw .badInput(file: path, problem: "not a regular file")
        }
        let size = Int(info.st_size)
        var hash = XXH64.hash(UnsafeRawBufferPointer(start: nil, count: 0))
        if size > 0 {
            guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
                throw .badInput(file: path, problem: "cannot map: \(String(cString: strerror(errno)))")
            }
            defer { munmap(address, size) }
            _ = madvise(address, size, MADV_SEQUENTIAL)
            hash = XXH64.hash(UnsafeRawBufferPointer(start: address, count: size))
        }
        self.name = (path as NSString).lastPathComponent
        self.size = size
        let hex = String(hash, radix: 16)
        self.contentHash = "xxh64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    package var manifestInput: BundleManifest.Input {
        BundleManifest.Input(name: name, size: size, contentHash: contentHash)
    }
}
