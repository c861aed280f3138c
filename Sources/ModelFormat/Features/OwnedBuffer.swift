/// Read-only tables that a compiled model (``TransformProgram``, ``FlatTreeEnsemble``) keeps
/// as plain pointers, so its per-row loops carry no bounds checks or reference counting.
enum OwnedBuffer {
    /// A new buffer holding `array`'s elements (its base address is never nil, even when
    /// empty); the owner deallocates it.
    static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }
}
