extension Array {
    /// An array of up to `capacity` elements written in place by `initialize`, which sets
    /// `initialized` to how many it wrote (the first ones), without zeroing them first.
    ///
    /// This is `init(unsafeUninitializedCapacity:initializingWith:)` except for no elements:
    /// that gives the plain empty array, without calling `initialize`. The standard library's
    /// initializer writes the count, even 0, into the one empty-array storage every empty array
    /// in the process shares; a harmless store of 0 over 0, but ThreadSanitizer reports it as
    /// a race as soon as two threads do it (a bundle with an empty section loaded while the
    /// scorer serves, two empty columns merged at once).
    @inlinable
    package init(
        filling capacity: Int,
        initializingWith initialize: (inout UnsafeMutableBufferPointer<Element>, inout Int) throws -> Void
    ) rethrows {
        guard capacity > 0 else {
            self = []
            return
        }
        try self.init(unsafeUninitializedCapacity: capacity, initializingWith: initialize)
    }
}
