import Dispatch
import Foundation

/// Splits `0..<count` into contiguous chunks and runs `body` on each chunk concurrently,
/// one chunk per worker (default: one per active processor).
///
/// Chunks are a deterministic function of `count` and `workers`, so a reduction that
/// combines per-chunk partial results in chunk order gives the same bits on every run.
public enum Parallel {
    public static var defaultWorkers: Int { max(1, ProcessInfoCores.active) }

    /// The half-open ranges `forEachChunk` uses.
    public static func chunks(count: Int, workers: Int = defaultWorkers, minimumChunk: Int = 1) -> [Range<Int>] {
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

    /// Runs `body(chunkIndex, range)` for every chunk, concurrently, and returns the
    /// per-chunk results in chunk order.
    public static func map<T: Sendable>(
        count: Int, workers: Int = defaultWorkers, minimumChunk: Int = 1,
        _ body: @Sendable (Int, Range<Int>) -> T
    ) -> [T] {
        let ranges = chunks(count: count, workers: workers, minimumChunk: minimumChunk)
        if ranges.count <= 1 { return ranges.enumerated().map { body($0.offset, $0.element) } }
        let results = ResultSlots<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            results.set(i, body(i, ranges[i]))
        }
        return results.values()
    }
}

extension Parallel {
    /// Runs `body` over fixed-size blocks of `0..<count` on all cores and returns the results
    /// in block order. Blocks do not depend on the core count, so a sum combined from them
    /// has the same bits on any machine.
    public static func mapBlocks<T: Sendable>(
        count: Int, blockSize: Int = 16_384, _ body: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let blocks = stride(from: 0, to: count, by: blockSize).map { $0..<min(count, $0 + blockSize) }
        if blocks.count <= 1 { return blocks.map(body) }
        let results = ResultSlots<T>(count: blocks.count)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { i in results.set(i, body(blocks[i])) }
        return results.values()
    }
}

/// Write-once slots filled from concurrent workers, each slot by exactly one worker.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var storage: [T?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { storage[i] = value }  // distinct indices: no overlap
    func values() -> [T] { storage.map { $0! } }
}

enum ProcessInfoCores {
    static var active: Int { ProcessInfo.processInfo.activeProcessorCount }
}
