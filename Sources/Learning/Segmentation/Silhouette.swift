import Concurrency
import ModelFormat
import Numerics

/// Silhouette coefficient (Rousseeuw 1987) with Euclidean distances, as scikit-learn's
/// `silhouette_score`: per point s = (b - a) / max(a, b), where a is the mean distance to
/// the rest of its own cluster and b the smallest mean distance to another cluster; a point
/// alone in its cluster scores 0. The score is the mean over points.
package enum Silhouette {
    /// Pairwise distances of a set of points, computed once and reused for several
    /// labelings (a k scan). Stored as the strict upper triangle in `Float`: at 10 000
    /// points that is 200 MB instead of 800 MB for a full `Double` matrix, and single
    /// precision (relative 6e-8) is far finer than differences between silhouettes.
    package struct PairwiseDistances: Sendable {
        package let count: Int
        private let triangle: [Float]

        /// Distances between the rows of `points`.
        package init(_ points: Matrix) {
            let s = points.rows, d = points.columns
            count = s
            var triangle = [Float](repeating: 0, count: s * (s - 1) / 2)
            let values = points.values
            triangle.withUnsafeMutableBufferPointer { out in
                let target = DisjointWriteBuffer(base: out.baseAddress!, count: out.count)
                // Row i owns s - 1 - i entries: interleave rows so chunks get similar work.
                _ = Parallel.map(count: s, workers: ReductionChunks.count) { chunk, _ in
                    values.withUnsafeBufferPointer { x in
                        var i = chunk
                        while i < s {
                            let start = Self.offset(row: i, count: s)
                            for j in (i + 1)..<max(i + 1, s) {
                                let squared = DenseKernels.squaredDistance(x.baseAddress! + i * d, x.baseAddress! + j * d, count: d)
                                target.base[start + j - i - 1] = Float(squared.squareRoot())
                            }
                            i += ReductionChunks.count
                        }
                    }
                    return 0
                }
            }
            self.triangle = triangle
        }

        @inline(__always)
        private static func offset(row i: Int, count s: Int) -> Int { i * (2 * s - i - 1) / 2 }

        package func distance(_ i: Int, _ j: Int) -> Double {
            if i == j { return 0 }
            let (a, b) = i < j ? (i, j) : (j, i)
            return Double(triangle[Self.offset(row: a, count: count) + b - a - 1])
        }

        /// Mean silhouette of these points under `labels` (one per point, values 0..<k).
        /// Returns 0 when fewer than 2 clusters are present.
        package func score(labels: [Int32]) -> Double {
            precondition(labels.count == count, "Silhouette: \(labels.count) labels for \(count) points")
            let k = Int(labels.max() ?? 0) + 1
            var sizes = [Int](repeating: 0, count: k)
            for label in labels { sizes[Int(label)] += 1 }
            guard sizes.filter({ $0 > 0 }).count >= 2 else { return 0 }
            let s = count
            let clusterSizes = sizes
            let partials: [Double] = Parallel.map(count: s, workers: ReductionChunks.count) { _, range in
                var total = 0.0
                var perCluster = [Double](repeating: 0, count: k)
                for i in range {
                    for c in 0..<k { perCluster[c] = 0 }
                    for j in 0..<s where j != i { perCluster[Int(labels[j])] += distance(i, j) }
                    let own = Int(labels[i])
                    guard clusterSizes[own] > 1 else { continue }
                    let a = perCluster[own] / Double(clusterSizes[own] - 1)
                    var b = Double.infinity
                    for c in 0..<k where c != own && clusterSizes[c] > 0 {
                        b = min(b, perCluster[c] / Double(clusterSizes[c]))
                    }
                    let denominator = max(a, b)
                    if denominator > 0 { total += (b - a) / denominator }
                }
                return total
            }
            return partials.reduce(0, +) / Double(s)
        }
    }

    /// Mean silhouette of the rows of `points` under `labels`.
    package static func score(_ points: Matrix, labels: [Int32]) -> Double {
        PairwiseDistances(points).score(labels: labels)
    }

    /// `size` distinct row indices of 0..<n drawn uniformly with `seed`, ascending
    /// (all rows when size ≥ n).
    package static func sampleRows(count n: Int, size: Int, seed: UInt64) -> [Int] {
        guard size < n else { return Array(0..<n) }
        var generator = SplitMix64(seed: seed)
        // Partial Fisher–Yates over a sparse permutation: O(size) memory.
        var swapped: [Int: Int] = [:]
        var chosen: [Int] = []
        chosen.reserveCapacity(size)
        for i in 0..<size {
            let j = i + generator.nextIndex(below: n - i)
            let atJ = swapped[j] ?? j
            let atI = swapped[i] ?? i
            swapped[j] = atI
            chosen.append(atJ)
        }
        return chosen.sorted()
    }
}
