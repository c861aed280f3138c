/// A ``TreeEnsemble`` written as a LightGBM text model (the format of `Booster.save_model`,
/// `version=v4`): the way out to another serving stack, and how the reason codes are checked
/// against LightGBM's own `pred_contrib`.
///
/// The trees read the bundle's engineered features (``CleaningTransform/features``, raw: NaN
/// = missing), in that order and under those names. Every split is numerical with missing
/// type NaN (`decision_type` 8, plus 2 when missing values go left), so LightGBM routes a row
/// exactly as ``TreeEnsemble/treeOutput(_:row:)`` does; thresholds and leaf values are printed
/// with the shortest digits that read back to the same double. LightGBM has no separate
/// initial score: it is added to the first tree's leaves (what LightGBM's own
/// `boost_from_average` does), so LightGBM's raw score sums the same doubles in the same order.
///
/// `leaf_count`/`internal_count` are the training rows of each node (of the tree's bag),
/// `leaf_weight`/`internal_weight` their hessian sums, `internal_value` the weight-weighted
/// mean of the leaves below (LightGBM's own internal value when `lambda_l2` is 0); LightGBM
/// 4.x's `pred_contrib` weighs with the counts. `feature_infos` gives the range of each
/// feature's split thresholds (`none` for features no tree splits on): the training range is
/// not kept in the bundle, and LightGBM does not use the field to predict.
public enum LightGBMModelText {
    /// Why an ensemble cannot be exported.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The trees lack node statistics, which the text format requires.
        case noNodeStatistics
        /// The names given do not match the ensemble's feature count.
        case featureNamesMismatch(names: Int, features: Int)

        /// What is missing, for the user.
        public var description: String {
            switch self {
            case .noNodeStatistics:
                "the trees have no node statistics (bundle written before format 1.1): retrain to export them"
            case .featureNamesMismatch(let names, let features):
                "\(names) feature names for trees reading \(features) features"
            }
        }
    }

    /// The model text. `parameters` become the `parameters:` section (`[name: value]`, LightGBM names).
    public static func text(
        _ ensemble: TreeEnsemble, featureNames: [String], parameters: [(name: String, value: String)] = []
    ) throws(Failure) -> String {
        guard ensemble.hasNodeStatistics || ensemble.treeCount == 0 else { throw .noNodeStatistics }
        guard featureNames.count == ensemble.featureCount else {
            throw .featureNamesMismatch(names: featureNames.count, features: ensemble.featureCount)
        }
        let names = featureNames.map(safeName)
        var trees: [String] = []
        var splits = [Int](repeating: 0, count: ensemble.featureCount)
        var lowest = [Double](repeating: .infinity, count: ensemble.featureCount)
        var highest = [Double](repeating: -.infinity, count: ensemble.featureCount)
        for t in 0..<ensemble.treeCount {
            trees.append(tree(ensemble, t, bias: t == 0 ? ensemble.initialScore : 0))
            for i in Int(ensemble.nodeStart[t])..<Int(ensemble.nodeStart[t + 1]) {
                let f = Int(ensemble.splitFeature[i])
                splits[f] += 1
                lowest[f] = min(lowest[f], ensemble.threshold[i])
                highest[f] = max(highest[f], ensemble.threshold[i])
            }
        }
        if trees.isEmpty {
            // No trees: one single-leaf tree holding the initial score.
            trees.append("Tree=0\nnum_leaves=1\nnum_cat=0\nsplit_feature=\nsplit_gain=\nthreshold=\ndecision_type=\n"
                + "left_child=\nright_child=\nleaf_value=\(number(ensemble.initialScore))\nleaf_weight=0\nleaf_count=0\n"
                + "internal_value=\ninternal_weight=\ninternal_count=\nis_linear=0\nshrinkage=1\n\n\n")
        }
        let infos = (0..<ensemble.featureCount).map { f in
            splits[f] == 0 ? "none" : "[\(number(lowest[f])):\(number(highest[f]))]"
        }
        var out = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"
        out += "max_feature_idx=\(ensemble.featureCount - 1)\nobjective=binary sigmoid:1\n"
        out += "feature_names=" + names.joined(separator: " ") + "\n"
        out += "feature_infos=" + infos.joined(separator: " ") + "\n"
        out += "tree_sizes=" + trees.map { String($0.utf8.count) }.joined(separator: " ") + "\n\n"
        for tree in trees { out += tree }
        out += "end of trees\n\nfeature_importances:\n"
        // Split counts, most used first (LightGBM's default importance type); ties by feature order.
        for f in (0..<ensemble.featureCount).filter({ splits[$0] > 0 }).sorted(by: { (splits[$0], -$0) > (splits[$1], -$1) }) {
            out += "\(names[f])=\(splits[f])\n"
        }
        out += "\nparameters:\n"
        for (name, value) in [("boosting", "gbdt"), ("objective", "binary")] + parameters {
            out += "[\(name): \(value)]\n"
        }
        out += "end of parameters\n\npandas_categorical:null\n"
        return out
    }

    /// One tree's block, from `Tree=t` to the blank lines after it (what `tree_sizes` counts).
    static func tree(_ e: TreeEnsemble, _ t: Int, bias: Double) -> String {
        let n0 = Int(e.nodeStart[t]), n1 = Int(e.nodeStart[t + 1])
        let l0 = Int(e.leafStart[t]), l1 = Int(e.leafStart[t + 1])
        let nodes = n0..<n1
        let leaves = l0..<l1
        // Weight-weighted mean leaf value below each node: children come after parents, so
        // a backward pass sees both children first.
        var weight = [Double](repeating: 0, count: nodes.count)
        var weighted = [Double](repeating: 0, count: nodes.count)
        for node in nodes.reversed() {
            for child in [e.leftChild[node], e.rightChild[node]] {
                if child < 0 {
                    let l = l0 + Int(~child)
                    weight[node - n0] += e.leafWeight[l]
                    weighted[node - n0] += e.leafWeight[l] * (e.leafValue[l] + bias)
                } else {
                    weight[node - n0] += weight[Int(child)]
                    weighted[node - n0] += weighted[Int(child)]
                }
            }
        }
        func line(_ key: String, _ values: [String]) -> String { key + "=" + values.joined(separator: " ") + "\n" }
        var s = "Tree=\(t)\nnum_leaves=\(leaves.count)\nnum_cat=0\n"
        s += line("split_feature", nodes.map { String(e.splitFeature[$0]) })
        s += line("split_gain", nodes.map { number(e.splitGain[$0]) })
        s += line("threshold", nodes.map { number(e.threshold[$0]) })
        s += line("decision_type", nodes.map { e.defaultLeft[$0] ? "10" : "8" })
        s += line("left_child", nodes.map { String(e.leftChild[$0]) })
        s += line("right_child", nodes.map { String(e.rightChild[$0]) })
        s += line("leaf_value", leaves.map { number(e.leafValue[$0] + bias) })
        s += line("leaf_weight", leaves.map { number(e.leafWeight[$0]) })
        s += line("leaf_count", leaves.map { String(e.leafCount[$0]) })
        s += line("internal_value", nodes.map { weight[$0 - n0] > 0 ? number(weighted[$0 - n0] / weight[$0 - n0]) : "0" })
        s += line("internal_weight", nodes.map { number(e.nodeWeight[$0]) })
        s += line("internal_count", nodes.map { String(e.nodeCount[$0]) })
        s += "is_linear=0\nshrinkage=1\n\n\n"
        return s
    }

    /// Shortest digits that read back to the same double (LightGBM parses them exactly).
    public static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }

    /// LightGBM splits names at whitespace and refuses JSON's special characters in them.
    static func safeName(_ name: String) -> String {
        String(name.map { $0.isWhitespace || "\",:[]{}".contains($0) ? "_" : $0 })
    }
}
