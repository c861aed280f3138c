import Console
import Features
import Learning
import ModelFormat
import Numerics
import Tabular

extension SegmentationStep {
    /// Rows transformed per slice: large enough for both cores, small enough (about 80 MB of
    /// scaled features for the population's 435) that slices never dominate memory.
    package static let sliceRows = 24_576

    /// The segmentation fitted straight from the population and customer tables, slice by
    /// slice: the population is transformed once, its rows with enough data are kept (2.8 GB
    /// at full scale) for the covariance and then overwritten by their projection (1.6 GB; the
    /// rest is handed back to the system). This is what `trainer train` runs at full scale.
    ///
    /// Every row passes through ``CleaningTransform/transform(table:rows:parts:into:)`` (the
    /// scorer's stages); customers are placed by ``SegmentModel/segments(of:maxRowMissingShare:)``,
    /// the scorer's own call; population rows keep the cluster k-means gave them (the nearest
    /// centre of their projection after its final assignment).
    package static func run(
        populationTable: Table, populationFile: String, customerTable: Table, customerFile: String,
        transform: CleaningTransform, summary: CleaningSummary, options: SegmentationOptions = SegmentationOptions(),
        sliceRows: Int = SegmentationStep.sliceRows, progress: ProgressReporter = .silent
    ) throws(TrainingError) -> SegmentationResult {
        // A table without a required column fails here, before any work, naming its file.
        for (table, file) in [(populationTable, populationFile), (customerTable, customerFile)] {
            do {
                _ = try TableRowReader(transform: transform, table: table)
            } catch {
                throw .badInput(file: file, problem: error.description)
            }
        }
        do {
            return try fitStreaming(
                populationTable: populationTable, customerTable: customerTable, transform: transform, summary: summary,
                options: options, sliceRows: max(1, sliceRows), progress: progress)
        } catch {
            throw .internalFailure(step: "segmentation", problem: error.description)
        }
    }

    private static func fitStreaming(
        populationTable: Table, customerTable: Table, transform: CleaningTransform, summary: CleaningSummary,
        options: SegmentationOptions, sliceRows: Int, progress: ProgressReporter
    ) throws(SegmentationError) -> SegmentationResult {
        let width = transform.features.count
        let threshold = transform.maxRowMissingShare
        var slice = FeatureMatrix()
        func forEachSlice(
            _ table: Table, _ step: String, _ body: (Range<Int>, FeatureMatrix) throws(SegmentationError) -> Void
        ) throws(SegmentationError) {
            var start = 0
            progress.begin(step, total: table.rowCount, unit: "rows")
            while start < table.rowCount {
                let rows = start..<min(table.rowCount, start + sliceRows)
                // Cannot fail: both tables were checked for the transform's columns.
                try? transform.transform(table: table, rows: rows, parts: .scaled, into: &slice)
                try body(rows, slice)
                start = rows.upperBound
                progress.update(step, done: start, total: table.rowCount, unit: "rows")
            }
        }
        // Pass 1: the rows with enough data, kept in one array as they are transformed, and
        // their mean and covariance. Reserved for every row at once, so it never moves; only
        // the pages written become memory.
        var rows: [Double] = []
        rows.reserveCapacity(populationTable.rowCount * width)
        var accumulator = CovarianceAccumulator(columns: width)
        var populationShares = [Double](repeating: 0, count: populationTable.rowCount)
        try forEachSlice(populationTable, "segment: cleaning the population") { (range, slice) throws(SegmentationError) in
            let first = rows.count
            for r in 0..<slice.rows {
                populationShares[range.lowerBound + r] = slice.missingShare[r]
                if slice.missingShare[r] <= threshold { rows.append(contentsOf: slice.scaled[(r * width)..<((r + 1) * width)]) }
            }
            try rows.withUnsafeBufferPointer { (all) throws(SegmentationError) in
                try accumulator.add(rows: UnsafeBufferPointer(rebasing: all[first...]), count: (all.count - first) / width)
            }
        }
        let fitted = accumulator.rows
        progress.begin("segment: PCA")
        let (mean, covariance) = try accumulator.finish()
        let pca = try PCA.fit(
            mean: mean, covariance: covariance,
            components: options.components.map { .fixed($0) } ?? .explainedVariance(options.explainedVariance))

        let projected = projectInPlace(&rows, fitted: fitted, width: width, projection: pca.projection, progress: progress)

        let (clusters, scan) = try cluster(projected, options: options, progress: progress)
        let model = SegmentModel(projection: pca.projection, centroids: clusters.centroids)

        let populationSegments = populationSegments(
            labels: clusters.labels, missingShares: populationShares, threshold: threshold,
            insufficientData: model.insufficientDataSegment)
        // Customers: the scorer's per-row call on each slice.
        var customerSegments: [Int] = []
        customerSegments.reserveCapacity(customerTable.rowCount)
        try forEachSlice(customerTable, "segment: placing the customers") { (_, slice) throws(SegmentationError) in
            customerSegments += model.segments(of: slice, maxRowMissingShare: threshold)
        }

        return result(
            model: model, pca: pca, clusters: clusters, scan: scan, transform: transform, summary: summary,
            populationSegments: populationSegments, customerSegments: customerSegments)
    }

    /// Pass 2: each of the `fitted` rows' projection written over the front of `rows`, block
    /// by block (a block is copied out first: its projection may overlap its own rows, never a
    /// later block's, since projected rows are shorter). No second transform of the table and
    /// no second array of the population's size. Returns the projections; `rows` is emptied.
    private static func projectInPlace(
        _ rows: inout [Double], fitted: Int, width: Int, projection: PCAProjection, progress: ProgressReporter
    ) -> Matrix {
        let dimension = projection.outputDimension
        precondition(dimension <= width, "PCA keeps at most as many components as features")
        let blockRows = 4096
        progress.begin("segment: projecting", total: fitted, unit: "rows")
        var scratch = [Double](repeating: 0, count: blockRows * width)
        rows.withUnsafeMutableBufferPointer { all in
            scratch.withUnsafeMutableBufferPointer { copy in
                var start = 0
                while start < fitted {
                    let count = min(blockRows, fitted - start)
                    copy.baseAddress!.update(from: all.baseAddress! + start * width, count: count * width)
                    PCA.project(rows: count, from: copy.baseAddress!, with: projection, into: all.baseAddress! + start * dimension)
                    start += count
                    if start % (blockRows * 16) == 0 { progress.update("segment: projecting", done: start, total: fitted, unit: "rows") }
                }
            }
            MemoryRelease.discard(all.baseAddress! + fitted * dimension, count: all.count - fitted * dimension)
        }
        rows.removeLast(rows.count - fitted * dimension)
        let projected = Matrix(rows: fitted, columns: dimension, values: rows)
        rows = []
        return projected
    }
}
