import Dispatch
import Synchronization
import Testing

@testable import Concurrency

@Suite struct ParallelTests {
    @Test("perform runs every index exactly once and returns the results in index order",
          arguments: [1, 2, 3, 8, 64], [Parallel.Threads.dispatchPool, .own])
    func everyIndexOnceInOrder(workers: Int, threads: Parallel.Threads) {
        for count in [0, 1, 2, 5, 100, 1_000] {
            // A slot per index (not a `Mutex`: ThreadSanitizer does not see its lock, the
            // prebuilt Synchronization module being uninstrumented, and reports every hand-over).
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
            defer { runs.deallocate() }
            runs.initialize(repeating: 0)
            let slots = Slots(runs)
            let results = Parallel.perform(count, workers: workers, threads: threads) { i -> String in
                slots.buffer[i] += 1
                return "item \(i)"
            }
            #expect(results == (0..<count).map { "item \($0)" })
            #expect(Array(runs) == [Int](repeating: 1, count: count))
        }
    }

    @Test("with fewer workers than items, no more than `workers` items run at once")
    func boundedWorkers() {
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        _ = Parallel.perform(40, workers: 2) { i -> Int in
            let now = running.wrappingAdd(1, ordering: .relaxed).newValue
            peak.max(now, ordering: .relaxed)
            var x = 0
            for k in 0..<20_000 { x &+= k &* i }
            running.wrappingSubtract(1, ordering: .relaxed)
            return x
        }
        #expect(peak.load(ordering: .relaxed) <= 2)
    }

    /// Cross-validation's final fit waits for the folds while the last fold builds its
    /// histograms with a nested `map`: the waiting item must not hold a thread the nested work
    /// needs. Here item 0 waits until item 1's two nested halves have met, each waiting for the
    /// other, which they can only do on two threads at once. (With `threads:
    /// .dispatchPool` this fails on a 2-core machine: the halves never meet.)
    @Test("items on their own threads may wait for one another while nested work runs on two threads")
    func ownThreadsLeaveThePoolToNestedWork() {
        let released = DispatchSemaphore(value: 0)
        let results = Parallel.perform(2, workers: 2, threads: .own) { i -> Bool in
            if i == 0 { return released.wait(timeout: .now() + 30) == .success }
            let arrived = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            let met = Parallel.perform(2, workers: 2) { half -> Bool in
                arrived[half].signal()
                return arrived[1 - half].wait(timeout: .now() + 5) == .success
            }
            released.signal()
            return met == [true, true]
        }
        #expect(results == [true, true])
    }

    @Test("results that own memory (arrays, strings) come back whole from every worker")
    func ownedResults() {
        let results = Parallel.perform(256) { i in (String(i), [Int](repeating: i, count: i % 7)) }
        for (i, result) in results.enumerated() {
            #expect(result.0 == String(i))
            #expect(result.1 == [Int](repeating: i, count: i % 7))
        }
    }

    @Test("chunks cover 0..<count in order, at most `workers` of them, sizes differing by at most one")
    func chunks() {
        #expect(Parallel.chunks(count: 10, workers: 3) == [0..<4, 4..<7, 7..<10])
        #expect(Parallel.chunks(count: 10, workers: 4, minimumChunk: 4) == [0..<4, 4..<7, 7..<10])
        #expect(Parallel.chunks(count: 0, workers: 4).isEmpty)
        #expect(Parallel.map(count: 10, workers: 3) { chunk, range in "\(chunk):\(range)" } == ["0:0..<4", "1:4..<7", "2:7..<10"])
        #expect(Parallel.mapBlocks(count: 10, blockSize: 4) { $0.count } == [4, 4, 2])
    }
}

/// Hands a buffer to the workers; each writes only its own index.
private struct Slots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>
    init(_ buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }
}
