/// The optimal one-to-one assignment (the Hungarian algorithm): rows to columns of a cost
/// matrix so that the total cost is least.
///
/// Kuhn's method with Munkres' potentials, in the O(n²·m) shortest-augmenting-path form
/// (Jonker & Volgenant, "A shortest augmenting path algorithm for dense and sparse linear
/// assignment problems", Computing 38, 1987): rows are added one at a time, each by a
/// Dijkstra-like search over reduced costs `cost - u[row] - v[column]`, which the potentials
/// keep non-negative. Written for the segment lineage, where the matrices are k x k' with k
/// around 10, but exact for any finite costs.
package enum OptimalAssignment {
    /// For each row, its column (nil when there are more rows than columns and the row is
    /// left out). Every column is used at most once; the total cost of the assigned pairs is
    /// the least possible among assignments of min(rows, columns) pairs.
    ///
    /// - Parameter cost: `cost[row][column]`, finite, all rows the same length.
    package static func solve(_ cost: [[Double]]) -> [Int?] {
        let n = cost.count
        guard n > 0, let m = cost.first?.count, m > 0 else { return [Int?](repeating: nil, count: n) }
        precondition(cost.allSatisfy { $0.count == m && $0.allSatisfy(\.isFinite) }, "OptimalAssignment: ragged or non-finite costs")
        if n > m {
            // Assign the columns to rows instead, then invert.
            let transposed = (0..<m).map { j in (0..<n).map { i in cost[i][j] } }
            var result = [Int?](repeating: nil, count: n)
            for (j, row) in solve(transposed).enumerated() { if let row { result[row] = j } }
            return result
        }
        // 1-based with a virtual column 0, as in the classic formulation.
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var rowOfColumn = [Int](repeating: 0, count: m + 1)
        var way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            rowOfColumn[0] = i
            var column = 0
            var minimum = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[column] = true
                let row = rowOfColumn[column]
                var delta = Double.infinity
                var next = 0
                for j in 1...m where !used[j] {
                    let reduced = cost[row - 1][j - 1] - u[row] - v[j]
                    if reduced < minimum[j] {
                        minimum[j] = reduced
                        way[j] = column
                    }
                    if minimum[j] < delta {
                        delta = minimum[j]
                        next = j
                    }
                }
                for j in 0...m {
                    if used[j] {
                        u[rowOfColumn[j]] += delta
                        v[j] -= delta
                    } else {
                        minimum[j] -= delta
                    }
                }
                column = next
            } while rowOfColumn[column] != 0
            // Flip the augmenting path.
            repeat {
                let previous = way[column]
                rowOfColumn[column] = rowOfColumn[previous]
                column = previous
            } while column != 0
        }
        var result = [Int?](repeating: nil, count: n)
        for j in 1...m where rowOfColumn[j] != 0 { result[rowOfColumn[j] - 1] = j - 1 }
        return result
    }
}
