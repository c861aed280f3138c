/// Agreement measures used to compare segmentations and rankings.
package enum ClusterMetrics {
    /// Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items:
    /// 1 for identical partitions (whatever the label names), about 0 for chance agreement.
    /// Both labelings being a single cluster (or every item alone) counts as identical: 1.
    package static func adjustedRandIndex<A: Hashable, B: Hashable>(_ first: [A], _ second: [B]) -> Double {
        precondition(first.count == second.count, "adjustedRandIndex: \(first.count) vs \(second.count) labels")
        let n = first.count
        let (a, rows) = denseIds(first)
        let (b, columns) = denseIds(second)
        var table = [Int](repeating: 0, count: rows * columns)
        for i in 0..<n { table[a[i] * columns + b[i]] += 1 }

        func pairs(_ m: Int) -> Double { Double(m) * Double(m - 1) / 2 }
        let sumCells = table.reduce(0.0) { $0 + pairs($1) }
        var rowSums = [Int](repeating: 0, count: rows), columnSums = [Int](repeating: 0, count: columns)
        for r in 0..<rows { for c in 0..<columns { rowSums[r] += table[r * columns + c]; columnSums[c] += table[r * columns + c] } }
        let sumRows = rowSums.reduce(0.0) { $0 + pairs($1) }
        let sumColumns = columnSums.reduce(0.0) { $0 + pairs($1) }
        let total = pairs(n)
        guard total > 0 else { return 1 }
        let expected = sumRows * sumColumns / total
        let maximum = (sumRows + sumColumns) / 2
        // Degenerate partitions (all one cluster, or all singletons) on both sides.
        if maximum == expected { return 1 }
        return (sumCells - expected) / (maximum - expected)
    }

    /// Labels renamed 0, 1, 2, ... in order of first appearance, and how many there are.
    private static func denseIds<L: Hashable>(_ labels: [L]) -> (ids: [Int], count: Int) {
        var map: [L: Int] = [:]
        var ids: [Int] = []
        ids.reserveCapacity(labels.count)
        for label in labels {
            if let id = map[label] { ids.append(id) } else {
                let id = map.count
                map[label] = id
                ids.append(id)
            }
        }
        return (ids, map.count)
    }

    /// Spearman's rank correlation: Pearson correlation of the ranks, ties given their
    /// average rank (as scipy.stats.spearmanr). NaN when either side is constant.
    package static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "spearman: \(x.count) vs \(y.count) values")
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// Ranks 1...n, tied values sharing the mean of the ranks they span.
    package static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 1) / 2  // mean of start+1 ... end
            for position in start..<end { ranks[order[position]] = rank }
            start = end
        }
        return ranks
    }

    package static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - meanX, dy = y[i] - meanY
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
