/// Settings of `HistogramBooster`. Names and defaults follow LightGBM's so that a LightGBM
/// configuration carries over; the LightGBM name is given where ours differs.
package struct BoosterParameters: Sendable, Hashable, Codable {
    /// Boosting rounds (trees) at most (`num_iterations`).
    package var numIterations: Int = 100
    /// Shrinkage applied to every leaf value (`learning_rate`).
    package var learningRate: Double = 0.1
    /// Leaves per tree; trees grow best-first, always splitting the leaf of largest gain (`num_leaves`).
    package var numLeaves: Int = 31
    /// Depth limit; -1 means none (`max_depth`).
    package var maxDepth: Int = -1
    /// Fewest training rows in a leaf (`min_data_in_leaf`). As in LightGBM, the split search
    /// checks it on rows estimated from the hessians (a side's hessian sum times the leaf's rows
    /// per unit of hessian), so a leaf can end up with somewhat fewer or more.
    package var minDataInLeaf: Int = 20
    /// Smallest hessian sum in a leaf (`min_sum_hessian_in_leaf`).
    package var minSumHessianInLeaf: Double = 1e-3
    /// Smallest gain worth a split (`min_gain_to_split`).
    package var minGainToSplit: Double = 0
    /// L2 penalty on leaf values (`lambda_l2`).
    package var lambdaL2: Double = 0
    /// Share of rows drawn (without replacement, each row independently) for a tree (`bagging_fraction`).
    package var baggingFraction: Double = 1
    /// Redraw the bag every this many trees; 0 disables bagging (`bagging_freq`).
    package var baggingFreq: Int = 0
    /// Share of splittable features a tree may use, drawn per tree (`feature_fraction`).
    package var featureFraction: Double = 1
    /// Stop when validation AUC has not improved for this many rounds; 0 disables (`early_stopping_round`).
    package var earlyStoppingRounds: Int = 0
    /// At most this many value bins per feature (`max_bin`, ≤ 255).
    package var maxBin: Int = FeatureBinner.maxValueBins
    /// Seed of bagging and feature sampling (`seed`).
    package var seed: UInt64 = 0
    /// Threads building one tree's histograms; results do not depend on it (`num_threads`).
    package var numThreads: Int = 1

    package init() {}

    func validated() throws(ResponseModelError) -> BoosterParameters {
        func fail(_ name: String, _ value: Any, _ expected: String) -> ResponseModelError {
            .invalidParameter(name: name, value: "\(value)", expected: expected)
        }
        guard numIterations >= 1 else { throw fail("numIterations", numIterations, "at least 1") }
        guard learningRate > 0 else { throw fail("learningRate", learningRate, "greater than 0") }
        guard numLeaves >= 2 else { throw fail("numLeaves", numLeaves, "at least 2") }
        guard maxDepth == -1 || maxDepth >= 1 else { throw fail("maxDepth", maxDepth, "-1 or at least 1") }
        guard minDataInLeaf >= 1 else { throw fail("minDataInLeaf", minDataInLeaf, "at least 1") }
        guard minSumHessianInLeaf >= 0 else { throw fail("minSumHessianInLeaf", minSumHessianInLeaf, "at least 0") }
        guard lambdaL2 >= 0 else { throw fail("lambdaL2", lambdaL2, "at least 0") }
        guard baggingFraction > 0 && baggingFraction <= 1 else {
            throw fail("baggingFraction", baggingFraction, "in (0, 1]")
        }
        guard baggingFreq >= 0 else { throw fail("baggingFreq", baggingFreq, "at least 0") }
        guard featureFraction > 0 && featureFraction <= 1 else {
            throw fail("featureFraction", featureFraction, "in (0, 1]")
        }
        guard earlyStoppingRounds >= 0 else { throw fail("earlyStoppingRounds", earlyStoppingRounds, "at least 0") }
        guard maxBin >= 2 && maxBin <= FeatureBinner.maxValueBins else { throw fail("maxBin", maxBin, "in 2...255") }
        guard numThreads >= 1 else { throw fail("numThreads", numThreads, "at least 1") }
        return self
    }
}
