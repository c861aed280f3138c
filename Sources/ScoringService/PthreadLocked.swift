import Foundation

/// A value behind an `NSLock` (a pthread mutex). The scorer's shared state uses this rather
/// than Synchronization's `Mutex`: ThreadSanitizer sees a pthread lock's ordering, while the
/// prebuilt Synchronization module is not instrumented, so every hand-over through a `Mutex`
/// was reported as a race and the sanitizer runs could not tell real races from these.
final class PthreadLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
