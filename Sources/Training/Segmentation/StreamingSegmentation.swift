import Features
import Learning
import ModelFormat
import Tabular

extension SegmentationStep {
    /// Rows transformed per slice: large enough for both cores, small enough (about 80 MB of
    /// scaled features for the population's 435) that slices never dominate memory.
    public static let sliceRows = 24_576

    /// The segmentation fitted straight from the population and customer tables, slice by
    /// slice, without holding either table's feature matrix: the scaled population is
    /// transformed twice (once for the covariance, once for the projection) and only its
    /// projection is kept. This is what `trainer train` runs at full scale: the whole matrix
    /// would be 3 GB, its projection is about half of that.
    ///
    /// Every row passes through ``CleaningTransform/transform(table:rows:parts:into:)`` (the
    /// scorer's stages); customers are placed by ``SegmentModel/segments(of:maxRowMissingShare:)``,
    /// the scorer's own call; population rows keep the cluster k-means gave them (the nearest
    /// centre of their projection after its final assignment).
    public static func run(
        populationTable: Table, populationFile: String, customerTable: Table, customerFile: String,
        transform: CleaningTransform, summary: CleaningSummary, options: SegmentationOptions = SegmentationOptions(),
        sliceRows: Int = SegmentationStep.sliceRows
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
                options: options, sliceRows: max(1, sliceRows))
        } catch {
            throw .internalFailure(step: "segmentation", problem: error.description)
        }
    }

    private static func fitStreaming(
        populationTable: Table, customerTable: Table, transform: CleaningTransform, summary: CleaningSummary,
        options: SegmentationOptions, sliceRows: Int
    ) throws(SegmentationError) -> SegmentationResult {
        let width = transform.features.count
        let threshold = transform.maxRowMissingShare
        var slice = FeatureMatrix()
        func forEachSlice(_ table: Table, _ body: (Range<Int>, FeatureMatrix) throws(SegmentationError) -> Void) throws(SegmentationError) {
            var start = 0
            while start < table.rowCount {
                let rows = start..<min(table.rowCount, start + sliceRows)
                // Cannot fail: both tables were checked for the transform's columns.
                try? transform.transform(table: table, rows: rows, parts: .scaled, into: &slice)
                try body(rows, slice)
                start = rows.upperBound
            }
        }
        /// Copies the slice's rows with enough data into `block` (reused from slice to slice:
        /// a fresh 85 MB array per slice would be new pages for the kernel to zero each time).
        var block: [Double] = []
        func sufficientRows(_ slice: FeatureMatrix) -> Int {
            block.removeAll(keepingCapacity: true)
            var count = 0
            for r in 0..<slice.rows where slice.missingShare[r] <= threshold {
                block.append(contentsOf: slice.scaled[(r * width)..<((r + 1) * width)])
                count += 1
            }
            return count
        }

        // Pass 1: mean and covariance of the rows with enough data.
        var accumulator = CovarianceAccumulator(columns: width)
        var populationShares = [Double](repeating: 0, count: populationTable.rowCount)
        try forEachSlice(populationTable) { (rows, slice) throws(SegmentationError) in
            for r in 0..<slice.rows { populationShares[rows.lowerBound + r] = slice.missingShare[r] }
            let count = sufficientRows(slice)
            try block.withUnsafeBufferPointer { (values) throws(SegmentationError) in
                try accumulator.add(rows: values, count: count)
            }
        }
        let fitted = accumulator.rows
        let (mean, covariance) = try accumulator.finish()
        let pca = try PCA.fit(
            mean: mean, covariance: covariance,
            components: options.components.map { .fixed($0) } ?? .explainedVariance(options.explainedVariance))

        // Pass 2: the projection of the same rows, in the same order.
        let dimension = pca.projection.outputDimension
        var projectedValues: [Double] = []
        projectedValues.reserveCapacity(fitted * dimension)
        try forEachSlice(populationTable) { (_, slice) throws(SegmentationError) in
            let count = sufficientRows(slice)
            guard count > 0 else { return }
            let projected = PCA.transform(Matrix(rows: count, columns: width, values: block), with: pca.projection)
            projectedValues.append(contentsOf: projected.values)
        }
        let projected = Matrix(rows: fitted, columns: dimension, values: projectedValues)
        projectedValues = []

        let (clusters, scan) = try cluster(projected, options: options)
        let model = SegmentModel(projection: pca.projection, centroids: clusters.centroids)

        let populationSegments = populationSegments(
            labels: clusters.labels, missingShares: populationShares, threshold: threshold,
            insufficientData: model.insufficientDataSegment)
        // Customers: the scorer's per-row call on each slice.
        var customerSegments: [Int] = []
        customerSegments.reserveCapacity(customerTable.rowCount)
        try forEachSlice(customerTable) { (_, slice) throws(SegmentationError) in
            customerSegments += model.segments(of: slice, maxRowMissingShare: threshold)
        }

        return result(
            model: model, pca: pca, clusters: clusters, scan: scan, transform: transform, summary: summary,
            populationSegments: populationSegments, customerSegments: customerSegments)
    }
}
