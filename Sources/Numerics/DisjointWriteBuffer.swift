/// A buffer that concurrent workers write at disjoint indices (each row by one worker).
/// The caller owns the memory and keeps it alive across the parallel region.
package struct DisjointWriteBuffer<Element>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Element>
    package let count: Int

    @inlinable
    package init(base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }
}
