import Concurrency
import ModelFormat
import Tabular

/// Fits the population's reference distribution (the bundle's `reference` section) that
/// drift monitoring compares prospects with.
///
/// Binning is chosen on a sample of at most ``sampleRows`` rows (every k-th row): categories
/// and numbers with at most ``maxCodes`` distinct whole values get one bin per code (codes the
/// sample missed fall in "other"), other numbers get ``quantileBins`` quantile bins. The shares
/// are then counted on every row, with the same binning the scorer applies (``DriftCounts``).
/// Values are the cleaned inputs (unknown codes are missing), the first point where the
/// trainer's table path and the scorer's record path are guaranteed to agree.
package enum ReferenceFit {
    package static let maxCodes = 40
    package static let quantileBins = 10
    package static let sampleRows = 100_000

    /// The reference of `transform`'s inputs over all rows of `population`; segment shares
    /// are left to the caller (they come from the segmentation).
    package static func fit(population: Table, transform: CleaningTransform) throws(FeatureReadError) -> ReferenceDistribution {
        let reader = try TableRowReader(transform: transform, table: population)
        let n = transform.inputs.count
        let rows = population.rowCount
        let step = max(1, rows / sampleRows)

        // Pass 1: a sample of each input's present values.
        var samples = [[Double]](repeating: [], count: n)
        let program = transform.program()
        var buffer = [Double](repeating: 0, count: n)
        buffer.withUnsafeMutableBufferPointer { row in
            for r in stride(from: 0, to: rows, by: step) {
                reader.read(rows: r..<(r + 1), into: row)
                _ = program.clean(row)
                for i in 0..<n where !row[i].isNaN { samples[i].append(row[i]) }
            }
        }
        var attributes: [ReferenceDistribution.Attribute] = []
        for (i, input) in transform.inputs.enumerated() {
            let binning = Self.binning(samples[i], isCategory: { if case .category = input.reading { true } else { false } }())
            attributes.append(.init(name: input.name, binning: binning, shares: [Double](repeating: 0, count: binning.binCount)))
        }
        let layout = DriftLayout(ReferenceDistribution(attributes: attributes, segmentShares: [], rows: rows))

        // Pass 2: every row counted into those bins, in parallel blocks.
        let partials = Parallel.mapBlocks(count: rows, blockSize: TableRowReader.blockRows * 32) { range -> DriftCounts in
            var counts = DriftCounts(layout: layout)
            let program = transform.program()
            reader.forEachRow(in: range) { _, row in
                _ = program.clean(row)
                counts.add(inputs: UnsafeBufferPointer(row), segment: -1)
            }
            return counts
        }
        var total = DriftCounts(layout: layout)
        for part in partials { total.add(part) }
        for a in attributes.indices { attributes[a].shares = total.shares(attribute: a) }
        return ReferenceDistribution(attributes: attributes, segmentShares: [], rows: rows)
    }

    /// Codes or quantile edges for one input's sampled values.
    static func binning(_ values: [Double], isCategory: Bool) -> ReferenceDistribution.Binning {
        let sorted = values.sorted()
        var distinct: [Double] = []
        for v in sorted where distinct.last != v {
            distinct.append(v)
            if distinct.count > maxCodes && !isCategory { break }
        }
        let wholeNumbers = distinct.allSatisfy { $0 == $0.rounded() }
        if isCategory || (distinct.count <= maxCodes && wholeNumbers) { return .codes(distinct) }
        var edges: [Double] = []
        for k in 1..<quantileBins {
            let edge = sorted[(sorted.count - 1) * k / quantileBins]
            if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        return .quantiles(edges: edges)
    }
}
