import Concurrency
import ModelFormat
import Numerics

/// Per-feature bin edges learnt once from the raw matrix: a value `x` falls in the first bin
/// `b` with `x <= upperEdges[f][b]`; a missing value (NaN) has its own bin after the value bins.
///
/// A feature with at most `maxBins` distinct values gets one bin per value and edges at the
/// midpoints between neighbouring values, so a split on bins is exactly a split on raw values
/// and the fitted tree can store raw thresholds. Features with more distinct values get
/// equal-count (quantile) bins whose edges still fall between distinct values.
package struct FeatureBinner: Sendable, Hashable, Codable {
    /// The most value bins a feature may have: 255 value bins + 1 missing bin fit a byte.
    package static let maxValueBins = 255

    /// `upperEdges[f]` has one entry per value bin; the last is `greatestFiniteMagnitude`.
    package var upperEdges: [[Double]]

    package var featureCount: Int { upperEdges.count }

    package init(upperEdges: [[Double]]) { self.upperEdges = upperEdges }

    /// Learns edges for every column of `matrix` (row-major, NaN = missing).
    ///
    /// One pass over the rows in order counts every column's whole numbers of
    /// `wholeNumberWindow` (most DIAS codes), row chunks on every core; only a column with
    /// another value is then gathered and sorted. (Gathering every column a few at a time read
    /// the matrix down its columns, a page a row: 4.7 % of the boost step's CPU went to it.)
    package init(fitting matrix: Matrix, maxBins: Int = FeatureBinner.maxValueBins) {
        let maxBins = min(max(2, maxBins), FeatureBinner.maxValueBins)
        let n = matrix.rows
        let p = matrix.columns
        let slots = Self.wholeNumberWindow.count
        let low = Double(Self.wholeNumberWindow.lowerBound)
        let tallies = matrix.values.withUnsafeBufferPointer { raw in
            let values = SendableBuffer(raw)
            return Parallel.map(count: n, minimumChunk: 4096) { _, rows -> (counts: [Int32], whole: [Bool]) in
                var counts = [Int32](repeating: 0, count: p * slots)
                var whole = [Bool](repeating: true, count: p)
                counts.withUnsafeMutableBufferPointer { counts in
                    whole.withUnsafeMutableBufferPointer { whole in
                        for i in rows {
                            let row = values.buffer.baseAddress! + i * p
                            for f in 0..<p where !row[f].isNaN {
                                if let slot = (row[f] - low).wholeNumberIndex(below: slots) {
                                    counts[f &* slots &+ slot] &+= 1
                                } else {
                                    whole[f] = false
                                }
                            }
                        }
                    }
                }
                return (counts, whole)
            }
        }
        self.upperEdges = matrix.values.withUnsafeBufferPointer { values in
            (0..<p).map { f in
                if tallies.allSatisfy({ $0.whole[f] }) {
                    var distinct: [Double] = []
                    var counts: [Int] = []
                    for slot in 0..<slots {
                        let count = tallies.reduce(0) { $0 + Int($1.counts[f * slots + slot]) }
                        if count > 0 {
                            distinct.append(low + Double(slot))
                            counts.append(count)
                        }
                    }
                    return Self.edges(distinct: distinct, counts: counts, maxBins: maxBins)
                }
                var column = (0..<n).map { values[$0 * p + f] }.filter { !$0.isNaN }
                return Self.edges(of: &column, maxBins: maxBins)
            }
        }
    }

    /// Edges for one column's non-missing values (reordered in place).
    static func edges(of column: inout [Double], maxBins: Int) -> [Double] {
        let (distinct, counts) = distinctValues(of: &column)
        return edges(distinct: distinct, counts: counts, maxBins: maxBins)
    }

    /// Edges for a column's distinct values (ascending) that occur `counts` times.
    private static func edges(distinct: [Double], counts: [Int], maxBins: Int) -> [Double] {
        guard !distinct.isEmpty else { return [.greatestFiniteMagnitude] }
        var edges: [Double] = []
        if distinct.count <= maxBins {
            for i in 0..<(distinct.count - 1) { edges.append(midpoint(distinct[i], distinct[i + 1])) }
        } else {
            // Greedy equal-count bins: close a bin once it holds its share of what remains.
            var remainingRows = counts.reduce(0, +)
            var remainingBins = maxBins
            var inBin = 0
            for i in 0..<(distinct.count - 1) where remainingBins > 1 {
                inBin += counts[i]
                if Double(inBin) >= Double(remainingRows) / Double(remainingBins) {
                    edges.append(midpoint(distinct[i], distinct[i + 1]))
                    remainingRows -= inBin
                    remainingBins -= 1
                    inBin = 0
                }
            }
        }
        edges.append(.greatestFiniteMagnitude)
        return edges
    }

    /// The column's distinct values, ascending, and how often each occurs. Columns of small
    /// whole numbers (most DIAS codes) are counted in one pass; any other column is sorted.
    static func distinctValues(of column: inout [Double]) -> (values: [Double], counts: [Int]) {
        var counts = [Int](repeating: 0, count: wholeNumberWindow.count)
        let low = Double(wholeNumberWindow.lowerBound)
        var whole = true
        counts.withUnsafeMutableBufferPointer { counts in
            for x in column {
                guard let slot = (x - low).wholeNumberIndex(below: counts.count) else {
                    whole = false
                    return
                }
                counts[slot] += 1
            }
        }
        if whole {
            let present = counts.indices.filter { counts[$0] > 0 }
            return (present.map { low + Double($0) }, present.map { counts[$0] })
        }
        column.sort()
        var distinct: [Double] = []
        var runs: [Int] = []
        for x in column {
            if let last = distinct.last, last == x { runs[runs.count - 1] += 1 } else {
                distinct.append(x)
                runs.append(1)
            }
        }
        return (distinct, runs)
    }

    /// Whole numbers counted rather than sorted, and given a direct code by `transform`.
    static let wholeNumberWindow = -128..<1024

    private static func midpoint(_ a: Double, _ b: Double) -> Double {
        let m = a + (b - a) / 2
        // Guard against rounding onto the upper value for neighbours one ulp apart.
        return m < b ? m : a
    }

    /// The bin code of a raw value of feature `f`.
    @inlinable
    package func bin(_ x: Double, feature f: Int) -> UInt8 {
        let edges = upperEdges[f]
        if x.isNaN { return UInt8(edges.count) }
        var lo = 0
        var hi = edges.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if x <= edges[mid] { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(lo)
    }

    /// Bins every row of `matrix` (which must have `featureCount` columns).
    package func transform(_ matrix: Matrix) throws(ResponseModelError) -> BinnedMatrix {
        guard matrix.columns == featureCount else {
            throw .featureCountMismatch(expected: featureCount, found: matrix.columns)
        }
        let n = matrix.rows
        let p = featureCount
        // The code of every whole number of the window, per feature, found by `bin` itself:
        // a table lookup then gives the same code as the search.
        let window = Self.wholeNumberWindow
        let low = Double(window.lowerBound)
        let direct = (0..<p).flatMap { f in window.map { bin(Double($0), feature: f) } }
        var codes = [UInt8](repeating: 0, count: n * p)
        matrix.values.withUnsafeBufferPointer { raw in
            codes.withUnsafeMutableBufferPointer { out in
                direct.withUnsafeBufferPointer { direct in
                    let source = SendableBuffer(raw)
                    let target = SendableMutableBuffer(out)
                    let table = SendableBuffer(direct)
                    _ = Parallel.map(count: n, minimumChunk: 1024) { _, rows in
                        for i in rows {
                            for f in 0..<p {
                                let x = source.buffer[i * p + f]
                                target.buffer[i * p + f] =
                                    if let slot = (x - low).wholeNumberIndex(below: window.count) {
                                        table.buffer[f * window.count + slot]
                                    } else {
                                        self.bin(x, feature: f)
                                    }
                            }
                        }
                        return 0
                    }
                }
            }
        }
        return BinnedMatrix(binner: self, rows: n, codes: codes)
    }
}

/// A feature matrix reduced to one byte per value: bin codes from a `FeatureBinner`.
///
/// Codes are stored ROW-major (`codes[row * featureCount + feature]`): histogram building
/// walks a leaf's list of rows and, for each row, reads its bytes contiguously and adds to a
/// different feature's histogram at every step, which keeps the adds free of store-to-load
/// dependency chains (column-major, rows with equal codes hit the same bin back to back).
package struct BinnedMatrix: Sendable {
    /// The edges that produced the codes (and turn bin thresholds back into raw ones).
    package let binner: FeatureBinner
    package let rows: Int
    package let featureCount: Int
    package let codes: [UInt8]
    /// The same codes column-major, `columns[feature * rows + row]`: a split's partition and a
    /// tree's walk over many rows read one feature at a time, which row-major codes would
    /// serve a cache line per row.
    let columns: [UInt8]
    /// Value bins per feature; the feature's missing code equals this count.
    package let valueBinCounts: [Int]
    /// Where feature f's bins start in a histogram that holds all features' bins.
    package let histogramOffsets: [Int]
    /// Bins (value + missing) over all features.
    package let totalBins: Int
    /// The features packed in groups with joint codes, for building histograms.
    let groups: FeatureGroups

    package init(binner: FeatureBinner, rows: Int, codes: [UInt8]) {
        let featureCount = binner.featureCount
        let valueBinCounts = binner.upperEdges.map { $0.count }
        precondition(codes.count == rows * featureCount)
        self.binner = binner
        self.rows = rows
        self.featureCount = featureCount
        self.codes = codes
        let columns = Self.transpose(codes, rows: rows, featureCount: featureCount)
        self.columns = columns
        self.valueBinCounts = valueBinCounts
        var offsets: [Int] = []
        offsets.reserveCapacity(featureCount)
        var total = 0
        for count in valueBinCounts {
            offsets.append(total)
            total += count + 1
        }
        self.histogramOffsets = offsets
        self.totalBins = total
        self.groups = FeatureGroups(columns: columns, rows: rows, featureCount: featureCount, valueBinCounts: valueBinCounts,
                                    histogramOffsets: offsets)
    }

    @inlinable
    package func code(row: Int, feature: Int) -> UInt8 { codes[row * featureCount + feature] }

    /// Row-major `codes` turned column-major, in blocks of rows on every core.
    private static func transpose(_ codes: [UInt8], rows n: Int, featureCount p: Int) -> [UInt8] {
        var columns = [UInt8](repeating: 0, count: codes.count)
        codes.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { out in
                let input = SendableBuffer(source)
                let target = SendableMutableBuffer(out)
                _ = Parallel.map(count: (n + 63) / 64) { _, blocks in
                    for block in blocks {
                        let rows = (block * 64)..<min(n, block * 64 + 64)
                        for f in 0..<p {
                            let column = target.buffer.baseAddress! + f * n
                            for r in rows { column[r] = input.buffer[r * p + f] }
                        }
                    }
                    return 0
                }
            }
        }
        return columns
    }
}

/// Read-only buffer handed to `Parallel` workers (which only read).
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}

/// Mutable buffer handed to `Parallel` workers that write disjoint index ranges.
struct SendableMutableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
