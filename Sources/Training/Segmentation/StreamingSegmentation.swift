import Concurrency
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
    /// slice: the population is transformed once; the covariance is accumulated from each
    /// slice's rows with enough data, in Float64, and those rows are kept as Float32 (1.4 GB at
    /// full scale instead of 2.8 GB); the table is then released, and the kept rows are
    /// projected block by block into the Float64 matrix k-means runs on, each block's Float32
    /// pages handed back to the system as soon as it is projected. Peak memory is about the
    /// projection's size (1.7 GB at full scale). This is what `trainer train` runs.
    ///
    /// The covariance is accumulated from the Float64 rows (their products in Float32, summed
    /// in Float64 per block, as from an in-memory matrix); the projection reads the stored
    /// Float32 rows (relative error below 6e-8, far below the scaled features' own precision),
    /// so k-means ends in the same clusters (`SegmentationStepTests.streamingEqualsInMemory`).
    ///
    /// Every row passes through ``CleaningTransform/transform(table:rows:parts:into:)`` (the
    /// scorer's stages); customers are placed by ``SegmentModel/segments(of:maxRowMissingShare:)``,
    /// the scorer's own call; population rows keep the cluster k-means gave them (the nearest
    /// centre of their projection after its final assignment). The caller should not keep its
    /// own reference to `populationTable` if it wants the table's memory back early.
    package static func run(
        populationTable: consuming Table, populationFile: String, customerTable: Table, customerFile: String,
        transform: CleaningTransform, summary: CleaningSummary, options: SegmentationOptions = SegmentationOptions(),
        sliceRows: Int = SegmentationStep.sliceRows, progress: ProgressReporter = .silent
    ) throws(TrainingError) -> SegmentationResult {
        // A table without a required column fails here, before any work, naming its file.
        for (table, file) in [(copy populationTable, populationFile), (customerTable, customerFile)] {
            do {
                _ = try TableRowReader(transform: transform, table: table)
            } catch {
                throw .badInput(file: file, problem: error.description)
            }
        }
        do {
            var population: Table? = consume populationTable
            return try fitStreaming(
                populationTable: &population, customerTable: customerTable, transform: transform, summary: summary,
                options: options, sliceRows: max(1, sliceRows), progress: progress)
        } catch {
            throw .internalFailure(step: "segmentation", problem: error.description)
        }
    }

    private static func fitStreaming(
        populationTable: inout Table?, customerTable: Table, transform: CleaningTransform, summary: CleaningSummary,
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
        // Pass 1: the rows with enough data, their mean and covariance (from Float64), and
        // the rows kept as Float32. Reserved for every row at once, so the array never moves;
        // only the pages written become memory.
        let populationRows = populationTable!.rowCount
        var stored: [Float] = []
        stored.reserveCapacity(populationRows * width)
        // One slice's kept rows; a slice never keeps more than its rows.
        var kept = [Double](repeating: 0, count: min(sliceRows, populationRows) * width)
        var accumulator = CovarianceAccumulator(columns: width)
        var populationShares = [Double](repeating: 0, count: populationRows)
        try forEachSlice(populationTable!, "segment: cleaning the population") { (range, slice) throws(SegmentationError) in
            var keptRows: [Int] = []
            for r in 0..<slice.rows {
                populationShares[range.lowerBound + r] = slice.missingShare[r]
                if slice.missingShare[r] <= threshold { keptRows.append(r) }
            }
            let values = keptRows.count * width
            let first = stored.count
            stored.append(contentsOf: repeatElement(0, count: values))
            // The kept rows copied out (Float64, for the covariance) and stored (Float32) on
            // both cores: at full scale this is gigabytes of copying and fresh pages.
            kept.withUnsafeMutableBufferPointer { keptOut in
                stored.withUnsafeMutableBufferPointer { storedOut in
                    let copy = DisjointWriteBuffer(base: keptOut.baseAddress!, count: values)
                    let store = DisjointWriteBuffer(base: storedOut.baseAddress! + first, count: values)
                    let rows = keptRows
                    _ = Parallel.mapBlocks(count: rows.count, blockSize: 1024) { block in
                        slice.scaled.withUnsafeBufferPointer { scaled in
                            for j in block {
                                let from = scaled.baseAddress! + rows[j] * width
                                let offset = j * width
                                (copy.base + offset).update(from: from, count: width)
                                for c in 0..<width { store.base[offset + c] = Float(from[c]) }
                            }
                        }
                        return 0
                    }
                }
            }
            try kept.withUnsafeBufferPointer { (rows) throws(SegmentationError) in
                try accumulator.add(rows: UnsafeBufferPointer(rebasing: rows[0..<values]), count: keptRows.count)
            }
        }
        kept = []
        populationTable = nil
        MemoryRelease.returnFreedMemory()
        let fitted = accumulator.rows
        progress.begin("segment: PCA")
        let (mean, covariance) = try accumulator.finish()
        let pca = try PCA.fit(
            mean: mean, covariance: covariance,
            components: options.components.map { .fixed($0) } ?? .explainedVariance(options.explainedVariance))

        let projected = projectReleasing(&stored, fitted: fitted, width: width, projection: pca.projection, progress: progress)

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

    /// Pass 2: each of the `fitted` stored rows' projection, block by block into a new
    /// Float64 matrix; a block's Float32 pages go back to the system once it is projected, so
    /// the two arrays never both hold all rows. Returns the projections; `stored` is emptied.
    private static func projectReleasing(
        _ stored: inout [Float], fitted: Int, width: Int, projection: PCAProjection, progress: ProgressReporter
    ) -> Matrix {
        let dimension = projection.outputDimension
        let blockRows = 4096
        progress.begin("segment: projecting", total: fitted, unit: "rows")
        // Every element is written below; the allocation's untouched pages cost nothing.
        var projected = [Double](filling: fitted * dimension) { _, initialized in initialized = fitted * dimension }
        var scratch = [Double](repeating: 0, count: blockRows * width)
        stored.withUnsafeMutableBufferPointer { all in
            scratch.withUnsafeMutableBufferPointer { block in
                projected.withUnsafeMutableBufferPointer { output in
                    var start = 0
                    while start < fitted {
                        let count = min(blockRows, fitted - start)
                        let rows = all.baseAddress! + start * width
                        for i in 0..<(count * width) { block[i] = Double(rows[i]) }
                        PCA.project(rows: count, from: block.baseAddress!, with: projection, into: output.baseAddress! + start * dimension)
                        MemoryRelease.discard(rows, count: count * width)
                        start += count
                        if start % (blockRows * 16) == 0 { progress.update("segment: projecting", done: start, total: fitted, unit: "rows") }
                    }
                }
            }
        }
        stored = []
        return Matrix(rows: fitted, columns: dimension, values: projected)
    }
}
