import Numerics

/// Exact value counts of many columns, one row at a time, that never keep the rows.
///
/// Almost every DIAS value is a small whole-number code, so whole numbers inside a window of
/// codes are counted in a dense array and anything else is kept as a value. Tallies of
/// disjoint row sets add up exactly, so what is derived from them (medians, quantile edges,
/// distinct codes) does not depend on how rows were split across cores.
struct ValueTally: Sendable {
    /// Whole numbers in `countedLow ..< countedLow + countedWidth` are counted, not kept.
    static let countedLow = -128
    static let countedWidth = 4096 + 128

    /// `columns x countedWidth` counts, column-major.
    private(set) var counts: [Int32]
    /// Per column, the present values outside the counted window, in row order.
    private(set) var others: [[Double]]
    /// Per column, the missing (NaN) values seen.
    private(set) var missing: [Int]

    init(columns: Int) {
        counts = [Int32](repeating: 0, count: columns * Self.countedWidth)
        others = Array(repeating: [], count: columns)
        missing = Array(repeating: 0, count: columns)
    }

    /// Counts one row (`values[j]` is column `j`'s value, NaN = missing).
    mutating func add(_ values: UnsafeBufferPointer<Double>) {
        let width = Self.countedWidth
        let low = Double(Self.countedLow)
        counts.withUnsafeMutableBufferPointer { counts in
            for j in 0..<values.count {
                let v = values[j]
                if v.isNaN {
                    missing[j] += 1
                    continue
                }
                if let slot = (v - low).wholeNumberIndex(below: width) {
                    counts[j * width + slot] &+= 1
                } else {
                    others[j].append(v)
                }
            }
        }
    }

    /// Column `j`'s values over all `tallies`, in ascending order: the counted whole numbers
    /// merged with the other values, sorted.
    static func distribution(ofColumn j: Int, _ tallies: [ValueTally]) -> ValueDistribution {
        let width = countedWidth
        let low = Double(countedLow)
        var distribution = ValueDistribution()
        distribution.missing = tallies.reduce(0) { $0 + $1.missing[j] }
        var others: [Double] = []
        for t in tallies { others.append(contentsOf: t.others[j]) }
        others.sort()
        var entries: [(Double, Int)] = []
        func appendRun(_ v: Double) {
            if let last = entries.last, last.0 == v { entries[entries.count - 1].1 += 1 } else { entries.append((v, 1)) }
        }
        var o = 0
        for k in 0..<width {
            let value = low + Double(k)
            while o < others.count, others[o] < value {
                appendRun(others[o])
                o += 1
            }
            var c = 0
            for t in tallies { c += Int(t.counts[j * width + k]) }
            if c > 0 {
                if let last = entries.last, last.0 == value { entries[entries.count - 1].1 += c } else { entries.append((value, c)) }
            }
        }
        while o < others.count {
            appendRun(others[o])
            o += 1
        }
        distribution.entries = entries
        return distribution
    }
}

/// A column's present values as (value, count) in ascending order, plus its missing count.
struct ValueDistribution {
    var entries: [(Double, Int)] = []
    var missing = 0

    /// Present values counted.
    var presentCount: Int { entries.reduce(0) { $0 + $1.1 } }

    /// The `k`-th smallest present value (0-based), as `sorted[k]` of the values would give;
    /// the largest for `k` past the end. Needs at least one present value.
    func value(atOrder k: Int) -> Double {
        var seen = 0
        for (v, c) in entries {
            seen += c
            if seen > k { return v }
        }
        return entries[entries.count - 1].0
    }

    /// The median of the present values (mean of the middle two for an even count; 0 when
    /// none), then mean and standard deviation (population formula, as scikit-learn's
    /// StandardScaler) of the column with missing values filled by that median. A constant
    /// column gets scale 1.
    func fillMeanScale() -> (Double, Double, Double) {
        let present = presentCount
        guard present > 0 else { return (0, 0, 1) }
        let median = present % 2 == 1
            ? value(atOrder: present / 2) : (value(atOrder: present / 2 - 1) + value(atOrder: present / 2)) / 2
        let n = Double(present + missing)
        var sum = Double(missing) * median
        for (v, c) in entries { sum += v * Double(c) }
        let mean = sum / n
        var squares = Double(missing) * (median - mean) * (median - mean)
        for (v, c) in entries { squares += Double(c) * (v - mean) * (v - mean) }
        let std = (squares / n).squareRoot()
        return (median, mean, std > 1e-12 ? std : 1)
    }
}
