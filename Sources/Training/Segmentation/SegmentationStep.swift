import Console
import Features
import Learning
import ModelFormat
import Numerics

/// Choices of the segmentation step.
package struct SegmentationOptions: Sendable, Hashable {
    /// Clusters; ignored when ``kRange`` is set (the scan's suggestion is used).
    package var k: Int = 10
    /// Scan these k and use the suggested one (best silhouette on a sample).
    package var kRange: ClosedRange<Int>?
    /// k-means++ restarts: on the row sample (``sampleRows``), or on all rows without one.
    package var initializations: Int = 24
    /// Rows the restarts run on; the ``refined`` best are continued on all rows
    /// (``KMeans/SampledRestarts``). 0: every restart on all rows, scikit-learn's
    /// `KMeans(n_init=initializations)` draw for draw.
    package var sampleRows: Int = 40_000
    package var refined: Int = 3
    package var maxIterations: Int = 300
    package var tolerance: Double = 1e-4
    /// Keep the fewest components explaining this share of the variance...
    package var explainedVariance: Double = 0.9
    /// ...or exactly this many.
    package var components: Int?
    package var silhouetteSample: Int = 10_000
    package var seed: UInt64 = 1

    package init() {}

    /// The restart scheme these options choose: nil for scikit-learn's restarts on all rows.
    package var sampling: KMeans.SampledRestarts? {
        sampleRows > 0 ? KMeans.SampledRestarts(restarts: initializations, sampleRows: sampleRows, refined: refined) : nil
    }
}

/// What the segmentation step fitted and found.
package struct SegmentationResult: Sendable {
    package var model: SegmentModel
    package var table: SegmentTable
    package var populationSegments: [Int]
    package var customerSegments: [Int]
    package var inertia: Double
    /// All eigenvalues' explained-variance ratios (for the scree chart), descending.
    package var explainedVarianceRatios: [Double]
    package var scan: KMeans.Scan?
}

/// PCA + k-means fitted on the population rows with enough data; population rows keep their
/// k-means cluster, customer rows are placed through ``SegmentModel``, the code the scorer runs.
package enum SegmentationStep {
    package static func run(
        population: FeatureMatrix, customers: FeatureMatrix, transform: CleaningTransform,
        summary: CleaningSummary, options: SegmentationOptions = SegmentationOptions()
    ) throws(SegmentationError) -> SegmentationResult {
        let sufficient = (0..<population.rows).filter { population.missingShare[$0] <= transform.maxRowMissingShare }
        var values = [Double]()
        values.reserveCapacity(sufficient.count * population.columns)
        for r in sufficient {
            values.append(contentsOf: population.scaled[(r * population.columns)..<((r + 1) * population.columns)])
        }
        let data = Matrix(rows: sufficient.count, columns: population.columns, values: values)
        values = []

        let pca = try PCA.fit(data, components: options.components.map { .fixed($0) } ?? .explainedVariance(options.explainedVariance))
        let projected = PCA.transform(data, with: pca.projection)

        let (clusters, scan) = try cluster(projected, options: options)
        let model = SegmentModel(projection: pca.projection, centroids: clusters.centroids)

        let populationSegments = populationSegments(
            labels: clusters.labels, missingShares: population.missingShare, threshold: transform.maxRowMissingShare,
            insufficientData: model.insufficientDataSegment)
        let customerSegments = model.segments(of: customers, maxRowMissingShare: transform.maxRowMissingShare)
        return result(
            model: model, pca: pca, clusters: clusters, scan: scan, transform: transform, summary: summary,
            populationSegments: populationSegments, customerSegments: customerSegments)
    }

    /// k-means on the projected rows, after a scan of k when a range is given.
    static func cluster(
        _ projected: Matrix, options: SegmentationOptions, progress: ProgressReporter = .silent
    ) throws(SegmentationError) -> (KMeans.Result, KMeans.Scan?) {
        var scan: KMeans.Scan?
        var k = options.k
        if let range = options.kRange {
            progress.begin("segment: k-means scan of k \(range.lowerBound)...\(range.upperBound)")
            let result = try KMeans.scan(
                projected, kRange: range, initializations: options.initializations, sampling: options.sampling,
                maxIterations: options.maxIterations, tolerance: options.tolerance,
                silhouetteSample: min(options.silhouetteSample, projected.rows), seed: options.seed)
            scan = result
            k = result.suggestedK
        }
        let restarts = options.initializations
        progress.begin("segment: k-means", total: restarts, unit: "restarts")
        let clusters = try KMeans.fit(
            projected,
            KMeans.Configuration(
                clusterCount: k, initializations: options.initializations, maxIterations: options.maxIterations,
                tolerance: options.tolerance, seed: options.seed),
            sampling: options.sampling
        ) { done in progress.update("segment: k-means", done: done, total: restarts, unit: "restarts") }
        return (clusters, scan)
    }

    /// Population segments from the fit itself: each row k-means clustered keeps its label
    /// (Lloyd ends with an assignment to the final centres, so that is its nearest centre), the
    /// rows left out for missing data get the "insufficient data" segment. `labels` follow the
    /// rows whose missing share is at most `threshold`, in order.
    static func populationSegments(labels: [Int32], missingShares: [Double], threshold: Double, insufficientData: Int) -> [Int] {
        var segments = [Int](repeating: insufficientData, count: missingShares.count)
        var next = 0
        for r in 0..<missingShares.count where missingShares[r] <= threshold {
            segments[r] = Int(labels[next])
            next += 1
        }
        precondition(next == labels.count, "\(labels.count) k-means labels for \(next) clustered rows")
        return segments
    }

    /// The segment table and the result value from the fitted pieces and the assignments.
    static func result(
        model: SegmentModel, pca: PCA.Fit, clusters: KMeans.Result, scan: KMeans.Scan?, transform: CleaningTransform,
        summary: CleaningSummary, populationSegments: [Int], customerSegments: [Int]
    ) -> SegmentationResult {
        let table = SegmentTableBuilder.build(
            model: model, transform: transform, summary: summary,
            populationSegments: populationSegments, customerSegments: customerSegments)
        let total = pca.eigenvalues.reduce(0, +)
        return SegmentationResult(
            model: model, table: table, populationSegments: populationSegments, customerSegments: customerSegments,
            inertia: clusters.inertia, explainedVarianceRatios: pca.eigenvalues.map { total > 0 ? $0 / total : 0 },
            scan: scan)
    }
}
