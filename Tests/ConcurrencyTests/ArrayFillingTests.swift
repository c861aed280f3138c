import Testing

@testable import Concurrency

@Suite struct ArrayFillingTests {
    @Test("filling keeps the elements the closure says it wrote; no capacity never calls it")
    func fillsWhatTheClosureWrote() {
        let squares = [Int](filling: 5) { buffer, initialized in
            for i in 0..<5 { buffer[i] = i * i }
            initialized = 5
        }
        #expect(squares == [0, 1, 4, 9, 16])
        let firstTwo = [UInt8](filling: 8) { buffer, initialized in
            buffer[0] = 7
            buffer[1] = 9
            initialized = 2
        }
        #expect(firstTwo == [7, 9])
        var called = false
        let none = [Double](filling: 0) { _, _ in called = true }
        #expect(none.isEmpty && !called)
    }

    /// The standard library's `init(unsafeUninitializedCapacity: 0)` stores a count into the
    /// empty-array storage all threads share; under ThreadSanitizer (`scripts/check-sanitizers
    /// ConcurrencyTests`) this test then reports that race. Without a sanitizer it checks only
    /// the values.
    @Test("empty arrays filled on two threads at once share nothing they write")
    func emptyOnTwoThreads() {
        let lengths = Parallel.perform(2_000, workers: 2) { i -> Int in
            [UInt8](filling: i % 2) { buffer, initialized in
                if i % 2 == 1 { buffer[0] = 1 }
                initialized = i % 2
            }.count
        }
        #expect(lengths == (0..<2_000).map { $0 % 2 })
    }
}
