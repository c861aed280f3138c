import Foundation

/// A malloc-backed append buffer of trivial values: no bounds checks, no copy-on-write,
/// and `realloc` growth (large blocks move by remapping, untouched capacity costs no RAM).
/// A plain struct so the hot loop keeps it in registers; non-copyable so that the memory has
/// exactly one owner and is freed exactly once (``deallocate()`` early, or `deinit`).
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private(set) var capacity = 0

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(minimum: count + 1) }
        base.unsafelyUnwrapped[count] = element
        count += 1
    }

    mutating func append(contentsOf source: UnsafePointer<Element>, count n: Int) {
        if count + n > capacity { grow(minimum: count + n) }
        (base.unsafelyUnwrapped + count).update(from: source, count: n)
        count += n
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base.unsafelyUnwrapped[index] }
        set { base.unsafelyUnwrapped[index] = newValue }
    }

    @inline(never)
    mutating func grow(minimum: Int) {
        let newCapacity = max(minimum, capacity * 2, 16)
        guard let raw = realloc(base, newCapacity * MemoryLayout<Element>.stride) else {
            // Out of memory while reading: nothing sensible is left to do.
            preconditionFailure("out of memory growing a column buffer to \(newCapacity) elements")
        }
        base = raw.assumingMemoryBound(to: Element.self)
        capacity = newCapacity
    }

    /// Forgets the elements, keeping the memory.
    mutating func removeAll() { count = 0 }

    deinit { free(base) }

    /// Frees the memory now (the buffer is empty and usable again afterwards).
    mutating func deallocate() {
        free(base)
        base = nil
        count = 0
        capacity = 0
    }
}
