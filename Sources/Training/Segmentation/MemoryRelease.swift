#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages of a part of an array that will not be read again back to the system, so
/// resident memory falls before the array itself is freed.
enum MemoryRelease {
    /// The whole pages inside `count` doubles at `start` become zero-filled and unbacked
    /// (`MADV_DONTNEED`); the caller must not read them again. A no-op where unsupported.
    static func discard(_ start: UnsafeMutablePointer<Double>, count: Int) {
        #if os(Linux)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard count > 0, page > 0 else { return }
        let address = Int(bitPattern: start)
        let first = (address + page - 1) & ~(page - 1)
        let last = (address + count * MemoryLayout<Double>.stride) & ~(page - 1)
        guard last > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, last - first, MADV_DONTNEED)
        #endif
    }
}
