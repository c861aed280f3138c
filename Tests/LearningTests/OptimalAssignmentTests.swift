import Testing

@testable import Learning

@Suite struct OptimalAssignmentTests {
    /// The least total over every injective assignment of the smaller side, by enumeration.
    static func bruteForce(_ cost: [[Double]]) -> Double {
        let n = cost.count, m = cost[0].count
        if n > m { return bruteForce((0..<m).map { j in (0..<n).map { cost[$0][j] } }) }
        var best = Double.infinity
        func extend(_ row: Int, _ used: Set<Int>, _ total: Double) {
            if row == n { best = min(best, total); return }
            for j in 0..<m where !used.contains(j) { extend(row + 1, used.union([j]), total + cost[row][j]) }
        }
        extend(0, [], 0)
        return best
    }

    @Test("a hand example: the greedy choice (row 0 takes its cheapest column) is not optimal")
    func handExample() {
        // Greedy: row 0 → column 0 (1), row 1 → column 1 (100): 101. Optimal: 2 + 3 = 5.
        let assignment = OptimalAssignment.solve([[1, 2], [3, 100]])
        #expect(assignment == [1, 0])
    }

    @Test("square and rectangular random costs: the total equals the enumerated optimum, columns used once")
    func matchesEnumeration() {
        var generator = SplitMix64(seed: 7)
        for trial in 0..<60 {
            let n = 1 + trial % 6, m = 1 + (trial / 6) % 6
            let cost = (0..<n).map { _ in (0..<m).map { _ in (generator.nextUnit() * 10).rounded() } }
            let assignment = OptimalAssignment.solve(cost)
            let columns = assignment.compactMap { $0 }
            #expect(columns.count == min(n, m))
            #expect(Set(columns).count == columns.count)
            var total = 0.0
            for (row, column) in assignment.enumerated() { if let column { total += cost[row][column] } }
            #expect(abs(total - Self.bruteForce(cost)) < 1e-9, "trial \(trial): \(cost)")
        }
    }
}
