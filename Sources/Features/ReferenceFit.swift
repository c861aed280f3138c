import Concurrency
import ModelFormat
import Tabular

/// Fits the population's reference distribution (the bundle's `reference` section) that
/// drift monitoring compares prospects with.
///
/// Binning is chosen on a sample of about ``sampleRows`` rows (every k-th block of
/// ``TableRowReader/blockRows`` consecutive rows, so the sample is read as fast as whole
/// blocks are): categories and numbers with at most ``maxCodes`` distinct whole values get one
/// bin per code (codes the sample missed fall in "other"), other numbers get ``quantileBins``
/// quantile bins. The shares are then counted on every row, with the same binning the scorer
/// applies (``DriftCounts``). Values are the cleaned inputs (unknown codes are missing), the
/// first point where the trainer's table path and the scorer's record path are guaranteed to agree.
package enum ReferenceFit {
    package static let maxCodes = 40
    package static let quantileBins = 10
    package static let sampleRows = 100_000

    /// The reference of `transform`'s inputs over all rows of `population`; segment shares
    /// are left to the caller (they come from the segmentation).
    package static func fit(population: Table, transform: CleaningTransform) throws(FeatureReadError) -> ReferenceDistribution {
        let reader = try TableRowReader(transform: transform, table: population)
        let binned = try binning(population: population, transform: transform)
        let layout = DriftLayout(binned)

        // Pass 2: every row counted into those bins, in parallel blocks.
        let partials = Parallel.mapBlocks(count: population.rowCount, blockSize: TableRowReader.blockRows * 32) { range -> DriftCounts in
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
        return reference(binned, counts: total)
    }

    /// Pass 1: each input's bins, chosen on the sample's cleaned values (tallied on all
    /// cores); the shares are zero until ``reference(_:counts:)`` fills them.
    package static func binning(population: Table, transform: CleaningTransform) throws(FeatureReadError) -> ReferenceDistribution {
        let reader = try TableRowReader(transform: transform, table: population)
        let n = transform.inputs.count
        let blocks = sampleBlocks(rows: population.rowCount)
        let tallies = Parallel.map(count: blocks.count, minimumChunk: 16) { _, chunk -> ValueTally in
            var tally = ValueTally(columns: n)
            let program = transform.program()
            for block in blocks[chunk] {
                reader.forEachRow(in: block) { _, row in
                    _ = program.clean(row)
                    tally.add(UnsafeBufferPointer(row))
                }
            }
            return tally
        }
        var attributes: [ReferenceDistribution.Attribute] = []
        for (i, input) in transform.inputs.enumerated() {
            let isCategory = { if case .category = input.reading { true } else { false } }()
            let binning = Self.binning(ValueTally.distribution(ofColumn: i, tallies), isCategory: isCategory)
            attributes.append(.init(name: input.name, binning: binning, shares: [Double](repeating: 0, count: binning.binCount)))
        }
        return ReferenceDistribution(attributes: attributes, segmentShares: [], rows: population.rowCount)
    }

    /// `binned` with each bin's share of `counts` (every row of the population, counted
    /// with `DriftLayout(binned)`, as the scorer counts prospects).
    package static func reference(_ binned: ReferenceDistribution, counts: DriftCounts) -> ReferenceDistribution {
        var attributes = binned.attributes
        for a in attributes.indices { attributes[a].shares = counts.shares(attribute: a) }
        return ReferenceDistribution(attributes: attributes, segmentShares: [], rows: counts.rows)
    }

    /// The sampled row ranges: every row when there are at most about ``sampleRows``, else
    /// every k-th block of ``TableRowReader/blockRows`` rows.
    static func sampleBlocks(rows: Int) -> [Range<Int>] {
        let size = TableRowReader.blockRows
        let step = max(1, rows / sampleRows)
        return stride(from: 0, to: rows, by: size * step).map { $0..<min(rows, $0 + size) }
    }

    /// Codes or quantile edges for one input's sampled values: one bin per distinct value of
    /// a category, or of a number with at most ``maxCodes`` distinct whole values; else the
    /// values at each tenth of the sorted sample (`sorted[(count - 1) * k / 10]`), repeats merged.
    static func binning(_ values: ValueDistribution, isCategory: Bool) -> ReferenceDistribution.Binning {
        let distinct = values.entries.map(\.0)
        let wholeNumbers = distinct.allSatisfy { $0 == $0.rounded() }
        if isCategory || (distinct.count <= maxCodes && wholeNumbers) { return .codes(distinct) }
        let count = values.presentCount
        var edges: [Double] = []
        for k in 1..<quantileBins {
            let edge = values.value(atOrder: (count - 1) * k / quantileBins)
            if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        return .quantiles(edges: edges)
    }
}
