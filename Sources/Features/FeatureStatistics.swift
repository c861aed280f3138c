import ModelFormat
import Tabular

/// Fill values and scaling of every feature, computed through the transform itself on the
/// population rows that have enough data.
///
/// Two passes over the table, neither holding the feature matrix: the first finds each
/// feature's range, the second counts values (most features are small integer codes) or
/// keeps them (the few that are not). Counts add up exactly, so the result does not depend
/// on how rows were split across cores.
struct FeatureStatistics {
    var median: [Double]
    var mean: [Double]
    var scale: [Double]
    var rowsAboveThreshold: Int
    var rowMissingHistogram: [Int]

    /// A counting array is used when a feature's integer values span at most this many codes.
    static let maxCountedRange = 4096.0

    static func compute(_ transform: CleaningTransform, table: Table) throws(CleaningError) -> FeatureStatistics {
        let reader: TableRowReader
        do { reader = try TableRowReader(transform: transform, table: table) } catch {
            throw .noFeatures(file: error.description)
        }
        let featureCount = transform.features.count

        // Pass 1: range and integrality of each feature; rows above the threshold.
        struct Range: Sendable {
            var low: [Double], high: [Double], integral: [Bool]
            var above = 0
            var histogram = [Int](repeating: 0, count: 20)
        }
        let ranges = Parallel.map(count: table.rowCount, minimumChunk: 4096) { _, rows -> Range in
            var r = Range(
                low: Array(repeating: .infinity, count: featureCount),
                high: Array(repeating: -.infinity, count: featureCount),
                integral: Array(repeating: true, count: featureCount))
            forEachRow(transform, reader, rows) { raw, share in
                r.histogram[min(19, Int(share * 20))] += 1
                guard let raw else { r.above += 1; return }
                for j in 0..<featureCount {
                    let v = raw[j]
                    if v.isNaN { continue }
                    if v < r.low[j] { r.low[j] = v }
                    if v > r.high[j] { r.high[j] = v }
                    if r.integral[j], v != v.rounded() { r.integral[j] = false }
                }
            }
            return r
        }
        var low = [Double](repeating: .infinity, count: featureCount)
        var high = [Double](repeating: -.infinity, count: featureCount)
        var integral = [Bool](repeating: true, count: featureCount)
        var histogram = [Int](repeating: 0, count: 20)
        var above = 0
        for r in ranges {
            above += r.above
            for b in 0..<20 { histogram[b] += r.histogram[b] }
            for j in 0..<featureCount {
                low[j] = min(low[j], r.low[j])
                high[j] = max(high[j], r.high[j])
                integral[j] = integral[j] && r.integral[j]
            }
        }
        let (low0, high0) = (low, high)
        let counted = (0..<featureCount).map { j in integral[j] && high[j] >= low[j] && high[j] - low[j] < maxCountedRange }

        // Pass 2: value counts (counted features) or values (the others), and missing counts.
        struct Tally: Sendable {
            var counts: [[Int]]
            var values: [[Double]]
            var missing: [Int]
        }
        let tallies = Parallel.map(count: table.rowCount, minimumChunk: 4096) { _, rows -> Tally in
            var t = Tally(
                counts: (0..<featureCount).map { counted[$0] ? [Int](repeating: 0, count: Int(high0[$0] - low0[$0]) + 1) : [] },
                values: Array(repeating: [], count: featureCount),
                missing: Array(repeating: 0, count: featureCount))
            forEachRow(transform, reader, rows) { raw, _ in
                guard let raw else { return }
                for j in 0..<featureCount {
                    let v = raw[j]
                    if v.isNaN {
                        t.missing[j] += 1
                    } else if counted[j] {
                        t.counts[j][Int(v - low0[j])] += 1
                    } else {
                        t.values[j].append(v)
                    }
                }
            }
            return t
        }

        var median = [Double](repeating: 0, count: featureCount)
        var mean = [Double](repeating: 0, count: featureCount)
        var scale = [Double](repeating: 1, count: featureCount)
        for j in 0..<featureCount {
            var distribution = ValueDistribution()
            distribution.missing = tallies.reduce(0) { $0 + $1.missing[j] }
            if counted[j] {
                var counts = [Int](repeating: 0, count: Int(high[j] - low[j]) + 1)
                for t in tallies { for k in counts.indices { counts[k] += t.counts[j][k] } }
                distribution.entries = counts.enumerated().compactMap { k, c in c > 0 ? (low[j] + Double(k), c) : nil }
            } else {
                var values: [Double] = []
                for t in tallies { values.append(contentsOf: t.values[j]) }
                values.sort()
                distribution.entries = runs(of: values)
            }
            (median[j], mean[j], scale[j]) = distribution.fillMeanScale()
        }
        return FeatureStatistics(
            median: median, mean: mean, scale: scale, rowsAboveThreshold: above, rowMissingHistogram: histogram)
    }

    /// Applies the transform to each row of `rows`; `body` gets the raw features, or nil for a
    /// row above the missing threshold, and the row's missing share.
    private static func forEachRow(
        _ transform: CleaningTransform, _ reader: TableRowReader, _ rows: Swift.Range<Int>,
        _ body: (UnsafeMutableBufferPointer<Double>?, Double) -> Void
    ) {
        let program = transform.program()
        let width = program.inputCount
        var raw = [Double](repeating: 0, count: program.featureCount)
        raw.withUnsafeMutableBufferPointer { raw in
            let step = TableRowReader.blockRows
            for blockStart in stride(from: rows.lowerBound, to: rows.upperBound, by: step) {
                let block = blockStart..<min(rows.upperBound, blockStart + step)
                var inputs = [Double](repeating: 0, count: width * block.count)
                inputs.withUnsafeMutableBufferPointer { inputs in
                    reader.read(rows: block, into: inputs)
                    for k in 0..<block.count {
                        let input = UnsafeMutableBufferPointer(rebasing: inputs[(k * width)..<((k + 1) * width)])
                        let share = program.apply(inputs: input, raw: raw, scaled: UnsafeMutableBufferPointer(start: nil, count: 0))
                        body(program.hasSufficientData(missingShare: share) ? raw : nil, share)
                    }
                }
            }
        }
    }

    private static func runs(of sorted: [Double]) -> [(Double, Int)] {
        var out: [(Double, Int)] = []
        for v in sorted {
            if let last = out.last, last.0 == v { out[out.count - 1].1 += 1 } else { out.append((v, 1)) }
        }
        return out
    }
}

/// A feature's present values as (value, count) in ascending order, plus its missing count.
struct ValueDistribution {
    var entries: [(Double, Int)] = []
    var missing = 0

    /// The median of the present values (mean of the middle two for an even count; 0 when
    /// none), then mean and standard deviation (population formula, as scikit-learn's
    /// StandardScaler) of the column with missing values filled by that median. A constant
    /// column gets scale 1.
    func fillMeanScale() -> (Double, Double, Double) {
        let present = entries.reduce(0) { $0 + $1.1 }
        guard present > 0 else { return (0, 0, 1) }
        func kth(_ k: Int) -> Double {
            var seen = 0
            for (v, c) in entries {
                seen += c
                if seen > k { return v }
            }
            return entries[entries.count - 1].0
        }
        let median = present % 2 == 1 ? kth(present / 2) : (kth(present / 2 - 1) + kth(present / 2)) / 2
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
