#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages of a part of an array that will not be read again back to the system, so
/// resident memory falls before the array itself is freed.
enum MemoryRelease {
    /// The whole pages inside `count` values at `start` become zero-filled and unbacked
    /// (`MADV_DONTNEED`); the caller must not read them again. A no-op where unsupported.
    static func discard<Value>(_ start: UnsafeMutablePointer<Value>, count: Int) {
        #if os(Linux)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard count > 0, page > 0 else { return }
        let address = Int(bitPattern: start)
        let first = (address + page - 1) & ~(page - 1)
        let last = (address + count * MemoryLayout<Value>.stride) & ~(page - 1)
        guard last > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, last - first, MADV_DONTNEED)
        #endif
    }

    /// Hands memory freed with `free` back to the system (glibc's `malloc_trim`): a large
    /// table freed in many pieces, some by worker threads' arenas, otherwise stays resident
    /// until the process ends.
    static func returnFreedMemory() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
/// glibc's `int malloc_trim(size_t pad)`, declared in <malloc.h>, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
