import Dispatch
import Foundation
import Synchronization

/// Runs independent pieces of work on all cores and collects their results in order.
///
/// Every "split the work, run the pieces at once, gather what each returned" in Prospector goes
/// through ``perform(_:workers:_:)``: each result is written through its own slot's pointer
/// (never into a shared Swift array from several threads, which Swift does not define as safe),
/// and the results come back in index order whatever order the workers finished in.
///
/// Chunks are a deterministic function of `count` and `workers`, so a reduction that combines
/// per-chunk partial results in chunk order gives the same bits on every run.
package enum Parallel {
    /// One worker per active processor.
    package static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Where ``perform(_:workers:threads:_:)`` runs its items.
    package enum Threads: Sendable {
        /// The dispatch pool's threads (one per core) and the calling thread.
        case dispatchPool
        /// The calling thread and `workers - 1` threads started for the call and joined before
        /// it returns: for items that block waiting for one another while their own nested
        /// `perform` or `map` calls want the pool's threads. On Linux, libdispatch does not see a
        /// pool thread block on a lock or condition, so an item waiting on a pool thread left the
        /// nested work of another without a second thread (cross-validation's final fit waiting
        /// for the last fold ran that fold's histogram builds on one core).
        case own
    }

    /// Runs `body(i)` for every `i` in `0..<count` on at most `workers` threads and returns the
    /// results in index order. With fewer workers than items, each worker takes the next
    /// unclaimed index until none is left (so uneven items balance); with one worker or one
    /// item, everything runs on the calling thread.
    package static func perform<T: Sendable>(
        _ count: Int, workers: Int = defaultWorkers, threads source: Threads = .dispatchPool,
        _ body: @Sendable (Int) -> T
    ) -> [T] {
        guard count > 0 else { return [] }
        let threads = max(1, min(workers, count))
        if threads == 1 { return (0..<count).map(body) }
        return [T](filling: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!, count: count)
            switch source {
            case .dispatchPool where threads == count:
                DispatchQueue.concurrentPerform(iterations: count) { i in slots.fill(i, with: body(i)) }
            case .dispatchPool:
                let claims = Claims(count: count)
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    while let i = claims.next() { slots.fill(i, with: body(i)) }
                }
            case .own:
                let claims = Claims(count: count)
                withoutActuallyEscaping(body) { body in
                    let work = { @Sendable in
                        while let i = claims.next() { slots.fill(i, with: body(i)) }
                    }
                    // Joined, not signalled: `body` must not outlive this call, and a joined
                    // thread holds nothing of it any more. A thread that cannot be started
                    // leaves its items to the others.
                    let started = (1..<threads).compactMap { _ in OwnThread.start(work) }
                    work()
                    started.forEach { $0.join() }
                }
            }
            // Every worker has returned: all `count` slots are filled.
            initialized = count
        }
    }

    /// The half-open ranges ``map(count:workers:minimumChunk:_:)`` runs: at most `workers`
    /// contiguous chunks of at least `minimumChunk` items, sizes differing by at most one.
    package static func chunks(count: Int, workers: Int = defaultWorkers, minimumChunk: Int = 1) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = max(1, min(workers, (count + max(1, minimumChunk) - 1) / max(1, minimumChunk)))
        let base = count / n
        let extra = count % n
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(n)
        var start = 0
        for i in 0..<n {
            let length = base + (i < extra ? 1 : 0)
            ranges.append(start..<(start + length))
            start += length
        }
        return ranges
    }

    /// Runs `body(chunkIndex, range)` for every chunk of `0..<count`, concurrently, and returns
    /// the per-chunk results in chunk order.
    package static func map<T: Sendable>(
        count: Int, workers: Int = defaultWorkers, minimumChunk: Int = 1,
        _ body: @Sendable (Int, Range<Int>) -> T
    ) -> [T] {
        let ranges = chunks(count: count, workers: workers, minimumChunk: minimumChunk)
        return perform(ranges.count, workers: ranges.count) { body($0, ranges[$0]) }
    }

    /// Runs `body` over fixed-size blocks of `0..<count` on all cores and returns the results
    /// in block order. Blocks do not depend on the core count, so a sum combined from them
    /// has the same bits on any machine.
    package static func mapBlocks<T: Sendable>(
        count: Int, blockSize: Int = 16_384, _ body: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let blocks = stride(from: 0, to: count, by: blockSize).map { $0..<min(count, $0 + blockSize) }
        return perform(blocks.count, workers: blocks.count) { body(blocks[$0]) }
    }
}

/// The result array's uninitialised storage, shared by the workers: slot `i` is written once,
/// by the worker that ran item `i`, through its own pointer.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let count: Int

    func fill(_ i: Int, with value: T) {
        precondition(i >= 0 && i < count, "slot \(i) outside 0..<\(count)")
        (base + i).initialize(to: value)
    }
}

/// The indices `0..<count`, each handed out once, to whichever worker asks first.
private final class Claims: Sendable {
    private let count: Int
    private let claimed = Atomic<Int>(0)

    init(count: Int) { self.count = count }

    func next() -> Int? {
        let i = claimed.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }
}

/// A POSIX thread running one closure, joined by its starter.
private struct OwnThread {
    private let thread: pthread_t

    private final class Work {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// The started thread, or nil if the system would not start one.
    static func start(_ run: @escaping @Sendable () -> Void) -> OwnThread? {
        let context = Unmanaged.passRetained(Work(run)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return nil
        }
        #if canImport(Darwin)
        return OwnThread(thread: thread!)
        #else
        return OwnThread(thread: thread)
        #endif
    }

    func join() { pthread_join(thread, nil) }
}
