import Foundation

/// A file mapped read-only into memory. Parsed ranges can be handed back with
/// ``releaseRange(_:)`` so the file's pages do not pile up in the process's resident set:
/// reading a 1.1 GB file then costs no more than a few megabytes of it at a time.
final class MappedFile: @unchecked Sendable {
    // Immutable after init; `releaseRange` only calls madvise, which is thread-safe.
    let base: UnsafePointer<UInt8>
    let count: Int
    private let pageSize: Int

    init(path: String, displayName: String) throws(CSVError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw .cannotRead(file: displayName, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .cannotRead(file: displayName, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotRead(file: displayName, reason: "not a regular file")
        }
        count = Int(info.st_size)
        guard count > 0 else { throw .emptyFile(file: displayName) }
        let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw .cannotRead(file: displayName, reason: String(cString: strerror(errno)))
        }
        _ = madvise(address, count, MADV_SEQUENTIAL)
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Drops the whole pages inside `range` from memory (they are re-read if touched again).
    func releaseRange(_ range: Range<Int>) {
        let start = (range.lowerBound + pageSize - 1) / pageSize * pageSize
        let end = range.upperBound / pageSize * pageSize
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), count)
    }
}
