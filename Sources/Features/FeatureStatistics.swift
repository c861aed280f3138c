import Concurrency
import ModelFormat
import Tabular

/// Fill values and scaling of every feature, computed through the transform itself on the
/// population rows that have enough data.
///
/// One pass over the table that never holds the feature matrix: integer values inside a
/// window of codes are counted (almost every feature is a small code), anything else is
/// kept as a value. Counts add up exactly, so the result does not depend on how rows were
/// split across cores.
struct FeatureStatistics {
    var median: [Double]
    var mean: [Double]
    var scale: [Double]
    var rowsAboveThreshold: Int
    var rowMissingHistogram: [Int]

    /// Integer values in `countedLow ..< countedLow + countedWidth` are counted, not kept.
    static let countedLow = -128
    static let countedWidth = 4096 + 128

    static func compute(_ transform: CleaningTransform, table: Table) throws(CleaningError) -> FeatureStatistics {
        let reader: TableRowReader
        do { reader = try TableRowReader(transform: transform, table: table) } catch {
            throw .noFeatures(file: error.description)
        }
        let featureCount = transform.features.count
        let width = countedWidth
        let low = Double(countedLow)

        let tallies = Parallel.map(count: table.rowCount, minimumChunk: 4096) { _, rows -> Tally in
            var t = Tally(
                counts: [Int32](repeating: 0, count: featureCount * width),
                others: Array(repeating: [], count: featureCount),
                missing: Array(repeating: 0, count: featureCount))
            t.counts.withUnsafeMutableBufferPointer { counts in
                forEachRow(transform, reader, rows) { raw, share in
                    t.histogram[min(19, Int(share * 20))] += 1
                    guard let raw else {
                        t.above += 1
                        return
                    }
                    for j in 0..<featureCount {
                        let v = raw[j]
                        if v.isNaN {
                            t.missing[j] += 1
                            continue
                        }
                        let slot = v - low
                        // Integral test by conversion: `rounded()` is a libm call on baseline x86-64.
                        if slot >= 0, slot < Double(width), Double(Int(slot)) == slot {
                            counts[j * width + Int(slot)] &+= 1
                        } else {
                            t.others[j].append(v)
                        }
                    }
                }
            }
            return t
        }

        var histogram = [Int](repeating: 0, count: 20)
        var above = 0
        for t in tallies {
            above += t.above
            for b in 0..<20 { histogram[b] += t.histogram[b] }
        }
        var median = [Double](repeating: 0, count: featureCount)
        var mean = [Double](repeating: 0, count: featureCount)
        var scale = [Double](repeating: 1, count: featureCount)
        for j in 0..<featureCount {
            (median[j], mean[j], scale[j]) = distribution(ofFeature: j, tallies).fillMeanScale()
        }
        return FeatureStatistics(
            median: median, mean: mean, scale: scale, rowsAboveThreshold: above, rowMissingHistogram: histogram)
    }

    /// One worker's counts over its rows.
    private struct Tally: Sendable {
        /// `featureCount x countedWidth` counts, feature-major.
        var counts: [Int32]
        var others: [[Double]]
        var missing: [Int]
        var above = 0
        var histogram = [Int](repeating: 0, count: 20)
    }

    /// Feature `j`'s values over all workers' tallies, in ascending order: the counted integers
    /// merged with the other values, sorted.
    private static func distribution(ofFeature j: Int, _ tallies: [Tally]) -> ValueDistribution {
        let width = countedWidth
        let low = Double(countedLow)
        var distribution = ValueDistribution()
        distribution.missing = tallies.reduce(0) { $0 + $1.missing[j] }
        var others: [Double] = []
        for t in tallies { others.append(contentsOf: t.others[j]) }
        others.sort()
        var entries: [(Double, Int)] = []
        var o = 0
        for k in 0..<width {
            let value = low + Double(k)
            while o < others.count, others[o] < value {
                appendRun(others[o], &entries)
                o += 1
            }
            var c = 0
            for t in tallies { c += Int(t.counts[j * width + k]) }
            if c > 0 {
                if let last = entries.last, last.0 == value { entries[entries.count - 1].1 += c } else { entries.append((value, c)) }
            }
        }
        while o < others.count {
            appendRun(others[o], &entries)
            o += 1
        }
        distribution.entries = entries
        return distribution
    }

    private static func appendRun(_ v: Double, _ entries: inout [(Double, Int)]) {
        if let last = entries.last, last.0 == v { entries[entries.count - 1].1 += 1 } else { entries.append((v, 1)) }
    }

    /// Applies the transform to each row of `rows`; `body` gets the raw features, or nil for a
    /// row above the missing threshold, and the row's missing share.
    private static func forEachRow(
        _ transform: CleaningTransform, _ reader: TableRowReader, _ rows: Swift.Range<Int>,
        _ body: (UnsafeMutableBufferPointer<Double>?, Double) -> Void
    ) {
        let program = transform.program()
        var raw = [Double](repeating: 0, count: program.featureCount)
        raw.withUnsafeMutableBufferPointer { raw in
            reader.forEachRow(in: rows) { _, input in
                let share = program.apply(inputs: input, raw: raw, scaled: UnsafeMutableBufferPointer(start: nil, count: 0))
                body(program.hasSufficientData(missingShare: share) ? raw : nil, share)
            }
        }
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
