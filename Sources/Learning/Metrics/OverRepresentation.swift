/// How far customers are over-represented per segment, and how well a fitted segmentation
/// ranks that against a known truth (synthetic data, where every person's true segment and
/// every true segment's customer ratio are known).
package enum OverRepresentation {
    /// Customer share / population share of each segment `0..<segmentCount`: the ratio of the
    /// segment table (segments without population get `.infinity` if they hold customers, else 1).
    package static func ratios(populationSegments: [Int], customerSegments: [Int], segmentCount: Int) -> [Double] {
        var population = [Int](repeating: 0, count: segmentCount)
        var customers = [Int](repeating: 0, count: segmentCount)
        for s in populationSegments { population[s] += 1 }
        for s in customerSegments { customers[s] += 1 }
        let populationTotal = Double(max(1, populationSegments.count))
        let customerTotal = Double(max(1, customerSegments.count))
        return (0..<segmentCount).map { s in
            let p = Double(population[s]) / populationTotal, c = Double(customers[s]) / customerTotal
            return p > 0 ? c / p : (c > 0 ? .infinity : 1)
        }
    }

    /// Spearman correlation, over the true segments, between each true segment's customer
    /// ratio and the fitted ratio of the cluster holding most of its members (ties: the lower
    /// cluster).
    ///
    /// This asks whether the segmentation would lead a reader to the right people: 1 when the
    /// clusters separate the true segments and order them as the truth does. Two true
    /// segments merged into one cluster get the same fitted ratio (a tie), which costs.
    ///
    /// - Parameters:
    ///   - trueSegments, clusters: per fitted person, the true segment and the fitted cluster.
    ///   - trueRatios: customer ratio of each true segment `0..<trueRatios.count`.
    ///   - clusterRatios: fitted customer ratio of each cluster (``ratios(populationSegments:customerSegments:segmentCount:)``).
    package static func rankCorrelationOverTrueSegments(
        trueSegments: [Int], clusters: [Int], trueRatios: [Double], clusterRatios: [Double]
    ) -> Double {
        let dominant = dominantCluster(trueSegments: trueSegments, clusters: clusters,
                                       trueCount: trueRatios.count, clusterCount: clusterRatios.count)
        let present = trueRatios.indices.filter { dominant[$0] != nil }
        return ClusterMetrics.spearman(present.map { trueRatios[$0] }, present.map { clusterRatios[dominant[$0]!] })
    }

    /// Spearman correlation, over the fitted clusters, between each cluster's fitted customer
    /// ratio and the ratio its members' true segments imply: Σ_t share of the cluster's
    /// members in true segment t × trueRatios[t] (what the cluster's ratio would be in
    /// expectation if customers were drawn by true segment).
    ///
    /// Weaker than ``rankCorrelationOverTrueSegments(trueSegments:clusters:trueRatios:clusterRatios:)``:
    /// it checks that the table ranks its own clusters right, not that the clusters find the
    /// true segments. Clusters without members are left out.
    package static func rankCorrelationOverClusters(
        trueSegments: [Int], clusters: [Int], trueRatios: [Double], clusterRatios: [Double]
    ) -> Double {
        let k = clusterRatios.count
        var weighted = [Double](repeating: 0, count: k)
        var members = [Int](repeating: 0, count: k)
        for (t, c) in zip(trueSegments, clusters) {
            weighted[c] += trueRatios[t]
            members[c] += 1
        }
        let present = (0..<k).filter { members[$0] > 0 }
        return ClusterMetrics.spearman(present.map { clusterRatios[$0] }, present.map { weighted[$0] / Double(members[$0]) })
    }

    /// For each true segment, the cluster holding most of its members; nil for a true segment
    /// with no members.
    package static func dominantCluster(trueSegments: [Int], clusters: [Int], trueCount: Int, clusterCount: Int) -> [Int?] {
        precondition(trueSegments.count == clusters.count, "dominantCluster: \(trueSegments.count) vs \(clusters.count) labels")
        var table = [Int](repeating: 0, count: trueCount * clusterCount)
        for (t, c) in zip(trueSegments, clusters) { table[t * clusterCount + c] += 1 }
        return (0..<trueCount).map { t in
            var best: Int? = nil
            for c in 0..<clusterCount where table[t * clusterCount + c] > 0 {
                if best == nil || table[t * clusterCount + c] > table[t * clusterCount + best!] { best = c }
            }
            return best
        }
    }
}
