import ModelFormat
import Numerics

/// Many cheap restarts on a row sample, the best few refined on all rows: a segmentation
/// that finds the low-inertia solution by design rather than by the luck of 3 restarts.
///
/// Which local minimum Lloyd falls into depends on its starting centres; on segmentation data
/// several minima lie close together and 3 k-means++ restarts on all rows land in the best one
/// only sometimes. Restarts on a uniform sample of the rows cost a fraction of a full restart,
/// and the ranking of minima by inertia on a sample of tens of thousands of rows follows the
/// ranking on all rows (the sample's inertia is an unbiased estimate of the full inertia per
/// row). So: `restarts` k-means++ + Lloyd runs on the sample, the `refined` lowest-inertia
/// *distinct* solutions (different local minima: partitions of the sample agreeing less than
/// ``sameBasinAgreement``) continued with Lloyd on all rows
/// from their centres, the lowest full inertia kept.
///
/// The scheme is the sample-then-refine initialisation of Bradley & Fayyad, "Refining Initial
/// Points for K-Means Clustering" (ICML 1998), with k-means++ seeding (Arthur & Vassilvitskii
/// 2007) for each sample restart; scikit-learn's `MiniBatchKMeans` uses the same idea for its
/// `n_init` candidates (inertia of each candidate initialisation judged on a subsample,
/// `init_size`). Both levels reuse this library's Lloyd (`KMeans.lloyd`, exact bound-pruned
/// assignment) and seeding, and draw from one `NumPyRandomState(seed)`.
extension KMeans {
    package struct SampledRestarts: Sendable, Hashable {
        /// k-means++ + Lloyd runs on the sample.
        package var restarts: Int
        /// Rows in the sample (all rows when there are fewer than 1.5 times this).
        package var sampleRows: Int
        /// Best distinct sample solutions continued on all rows.
        package var refined: Int

        package init(restarts: Int = 24, sampleRows: Int = 40_000, refined: Int = 3) {
            self.restarts = restarts
            self.sampleRows = sampleRows
            self.refined = refined
        }
    }

    /// k-means by sampled restarts (see the type's comment; `configuration.initializations` is
    /// not used, `sampling.restarts` are), or scikit-learn's restarts on all rows when
    /// `sampling` is nil. `restartFinished` hears of each restart done (for progress displays).
    package static func fit(
        _ data: Matrix, _ configuration: Configuration, sampling: SampledRestarts?,
        restartFinished: (_ done: Int) -> Void = { _ in }
    ) throws(SegmentationError) -> Result {
        guard let sampling else { return try fit(data, configuration, restartFinished: restartFinished) }
        let n = data.rows, d = data.columns, k = configuration.clusterCount
        guard n >= 1 && d >= 1 else { throw .emptyInput(rows: n, columns: d) }
        guard k >= 1 && k <= n else { throw .invalidClusterCount(k: k, rows: n) }
        for (name, value) in [("restarts", sampling.restarts), ("sampleRows", sampling.sampleRows), ("refined", sampling.refined)]
        where value < 1 {
            throw .invalidParameter(name: name, value: "\(value)", expected: "at least 1")
        }
        guard configuration.maxIterations >= 1 else {
            throw .invalidParameter(name: "maxIterations", value: "\(configuration.maxIterations)", expected: "at least 1")
        }
        guard configuration.tolerance >= 0 && configuration.tolerance.isFinite else {
            throw .invalidParameter(name: "tolerance", value: "\(configuration.tolerance)", expected: "a finite number ≥ 0")
        }
        let sampleSize = Double(n) < 1.5 * Double(sampling.sampleRows) ? n : max(k, sampling.sampleRows)
        let (candidates, chosen) = try sampleLevel(data, configuration, sampling: sampling, sampleSize: sampleSize,
                                                   restartFinished: restartFinished)
        let sampleInertias = candidates.map(\.run.inertia)
        guard sampleSize < n else {
            var best = chosen[0]
            best.restartInertias = sampleInertias
            best.restartSeedRows = candidates.map(\.seedRows)
            return best
        }

        // The refining level: Lloyd on all rows from each chosen solution's centres.
        let absoluteTolerance = try meanColumnVariance(data) * configuration.tolerance
        let rowHeads = RowHeads(data, head: min(headColumns, d))
        var best: Result? = nil
        for candidate in chosen {
            let run = lloyd(data, initialCentres: candidate.centroids.centroids, maxIterations: configuration.maxIterations,
                            tolerance: absoluteTolerance, rowHeads: rowHeads)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        best!.restartInertias = sampleInertias
        best!.restartSeedRows = candidates.map(\.seedRows)
        return best!
    }

    /// The cheap level: every restart on a uniform sample of `sampleSize` rows (all rows when
    /// it is `n`), then the `refined` best distinct solutions. Its own function so that the
    /// sample's copy is freed before the refining level runs on all rows.
    private static func sampleLevel(
        _ data: Matrix, _ configuration: Configuration, sampling: SampledRestarts, sampleSize: Int,
        restartFinished: (_ done: Int) -> Void
    ) throws(SegmentationError) -> (candidates: [(run: Result, seedRows: [Int])], chosen: [Result]) {
        let n = data.rows, d = data.columns, k = configuration.clusterCount
        let rows = Silhouette.sampleRows(count: n, size: sampleSize, seed: configuration.seed ^ 0x5A3F_1E0D_C0DE_5EED)
        let sample = sampleSize == n ? data : data.selecting(rows: rows)
        let sampleHeads = RowHeads(sample, head: min(headColumns, d))
        let sampleTolerance = try meanColumnVariance(sample) * configuration.tolerance

        var random = NumPyRandomState(seed: configuration.seed)
        var candidates: [(run: Result, seedRows: [Int])] = []
        for _ in 0..<sampling.restarts {
            let seeds = seedRowsPlusPlus(sample, clusterCount: k, rowHeads: sampleHeads, generator: &random)
            let run = lloyd(sample, initialCentres: sample.selecting(rows: seeds), maxIterations: configuration.maxIterations,
                            tolerance: sampleTolerance, rowHeads: sampleHeads)
            candidates.append((run, seeds.map { rows[$0] }))
            restartFinished(candidates.count)
        }

        // The best few distinct solutions of the sample (in the order restarts found them on
        // ties): distinct local minima, not the same minimum with a few rows elsewhere.
        var chosen: [(run: Result, seedRows: [Int])] = []
        for candidate in candidates.enumerated().sorted(by: {
            $0.element.run.inertia < $1.element.run.inertia || ($0.element.run.inertia == $1.element.run.inertia && $0.offset < $1.offset)
        }).map(\.element) {
            if chosen.count == sampling.refined { break }
            if !chosen.contains(where: { sameBasin($0.run.labels, candidate.run.labels) }) {
                chosen.append(candidate)
            }
        }
        return (candidates, chosen.map(\.run))
    }

    /// Agreement (adjusted Rand index) above which two solutions of the sample count as the
    /// same local minimum: refining both on all rows would end in the same place, while a
    /// refinement slot is what lets a minimum the sample ranks a little too low win.
    static let sameBasinAgreement = 0.95

    static func sameBasin(_ a: [Int32], _ b: [Int32]) -> Bool {
        ClusterMetrics.adjustedRandIndex(a, b) >= sameBasinAgreement
    }
}
