/// The best `capacity` candidates of a stream, in O(capacity) memory: a binary heap whose
/// root is the worst candidate kept, replaced whenever a better one arrives.
package struct TopHeap {
    package let capacity: Int
    private var heap: [Candidate] = []

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
        heap.reserveCapacity(min(self.capacity, 1 << 20))
    }

    package var count: Int { heap.count }

    package mutating func offer(_ candidate: Candidate) {
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(candidate)
            siftUp(heap.count - 1)
        } else if candidate.ranksBefore(heap[0]) {
            heap[0] = candidate
            siftDown(0)
        }
    }

    /// The candidates kept, best first.
    package func sorted() -> [Candidate] {
        heap.sorted { $0.ranksBefore($1) }
    }

    /// `a` is worse than `b` (nearer the root).
    @inline(__always)
    private func worse(_ a: Int, _ b: Int) -> Bool { heap[b].ranksBefore(heap[a]) }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(child, parent) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var worst = left
            if left + 1 < heap.count, worse(left + 1, left) { worst = left + 1 }
            guard worse(worst, parent) else { return }
            heap.swapAt(worst, parent)
            parent = worst
        }
    }
}
