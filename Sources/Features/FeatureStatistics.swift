import Concurrency
import ModelFormat
import Tabular

/// Fill values and scaling of every feature, computed through the transform itself on the
/// population rows that have enough data.
///
/// One pass over the table that never holds the feature matrix: each worker counts its rows'
/// features in a ``ValueTally``, so the result does not depend on how rows were split across cores.
struct FeatureStatistics {
    var median: [Double]
    var mean: [Double]
    var scale: [Double]
    var rowsAboveThreshold: Int
    var rowMissingHistogram: [Int]
    /// Every row's cleaned inputs counted into `drift`'s bins, when asked for (the drift
    /// reference's shares, without a pass of their own).
    var driftCounts: DriftCounts?

    static func compute(_ transform: CleaningTransform, table: Table, drift: DriftLayout? = nil) throws(CleaningError) -> FeatureStatistics {
        let reader: TableRowReader
        do { reader = try TableRowReader(transform: transform, table: table) } catch {
            throw .noFeatures(file: error.description)
        }
        let featureCount = transform.features.count

        let tallies = Parallel.map(count: table.rowCount, minimumChunk: 4096) { _, rows -> Tally in
            var t = Tally(values: ValueTally(columns: featureCount), drift: drift.map(DriftCounts.init(layout:)))
            forEachRow(transform, reader, rows) { inputs, raw, share in
                t.drift?.add(inputs: UnsafeBufferPointer(inputs), segment: -1)
                t.histogram[min(19, Int(share * 20))] += 1
                guard let raw else {
                    t.above += 1
                    return
                }
                t.values.add(UnsafeBufferPointer(raw))
            }
            return t
        }

        var histogram = [Int](repeating: 0, count: 20)
        var above = 0
        var driftCounts = drift.map(DriftCounts.init(layout:))
        for t in tallies {
            above += t.above
            for b in 0..<20 { histogram[b] += t.histogram[b] }
            if let counts = t.drift { driftCounts?.add(counts) }
        }
        let values = tallies.map(\.values)
        var median = [Double](repeating: 0, count: featureCount)
        var mean = [Double](repeating: 0, count: featureCount)
        var scale = [Double](repeating: 1, count: featureCount)
        for j in 0..<featureCount {
            (median[j], mean[j], scale[j]) = ValueTally.distribution(ofColumn: j, values).fillMeanScale()
        }
        return FeatureStatistics(
            median: median, mean: mean, scale: scale, rowsAboveThreshold: above, rowMissingHistogram: histogram,
            driftCounts: driftCounts)
    }

    /// One worker's counts over its rows.
    private struct Tally: Sendable {
        var values: ValueTally
        var drift: DriftCounts?
        var above = 0
        var histogram = [Int](repeating: 0, count: 20)
    }

    /// Applies the transform to each row of `rows`; `body` gets the row's cleaned inputs, its
    /// raw features (nil for a row above the missing threshold) and its missing share.
    private static func forEachRow(
        _ transform: CleaningTransform, _ reader: TableRowReader, _ rows: Swift.Range<Int>,
        _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?, Double) -> Void
    ) {
        let program = transform.program()
        var raw = [Double](repeating: 0, count: program.featureCount)
        raw.withUnsafeMutableBufferPointer { raw in
            reader.forEachRow(in: rows) { _, input in
                let share = program.apply(inputs: input, raw: raw, scaled: UnsafeMutableBufferPointer(start: nil, count: 0))
                body(input, program.hasSufficientData(missingShare: share) ? raw : nil, share)
            }
        }
    }
}
