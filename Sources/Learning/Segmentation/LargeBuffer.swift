#if canImport(Glibc)
import Glibc
#endif
import Concurrency

/// Large result arrays that are filled by parallel workers instead of being zeroed first.
///
/// A fresh array of a gigabyte or more costs twice before any result is in it: the kernel
/// clears every page as it is first touched (slow in virtual machines, one fault per 4 KiB),
/// and `Array(repeating: 0, ...)` then writes the zeros again, on one thread. Here the pages
/// are first touched by the workers that write the results, on every core, and on Linux the
/// range is offered to transparent huge pages (one fault per 2 MiB, where the system allows
/// it: `enabled` set to `madvise` or `always`).
enum LargeBuffer {
    /// An array of `count` doubles, every one of which `fill` must write.
    static func doubles(count: Int, fill: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        [Double](filling: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                adviseHugePages(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Double>.stride)
                fill(base)
            }
            initialized = count
        }
    }

    /// Marks the 2 MiB-aligned interior of a range as wanting huge pages (a hint; failures
    /// only mean small pages).
    private static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 1 << 21
        guard bytes >= 2 * huge else { return }
        let address = Int(bitPattern: start)
        let first = (address + huge - 1) & ~(huge - 1)
        let last = (address + bytes) & ~(huge - 1)
        guard last > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, last - first, MADV_HUGEPAGE)
        #endif
    }
}
