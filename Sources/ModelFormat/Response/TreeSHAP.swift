/// Exact SHAP values of a ``TreeEnsemble``'s raw score (log-odds): the path-dependent TreeSHAP
/// algorithm (Lundberg, Erion and Lee 2018, "Consistent individualized feature attribution for
/// tree ensembles", Algorithm 2).
///
/// For one row, feature f's contribution φ_f is its Shapley value in the game whose value for a
/// set S of known features is the tree's expected output when only S is known: at a split on a
/// feature outside S, both branches are followed, weighted by the share of training rows that
/// went each way (the node statistics `nodeCount` / `leafCount`, LightGBM's `internal_count` /
/// `leaf_count`, which is what LightGBM 4.x's `pred_contrib` weighs with). The values add up:
/// `expectedValue + Σ φ_f` equals the raw score of the row (local accuracy), and they equal
/// LightGBM's `predict(pred_contrib=True)` on the exported model.
///
/// A missing value (NaN) takes the split's default direction, exactly as in prediction.
///
/// Speed: a leaf's contributions depend on the row only through which of its path's d distinct
/// features the row follows, so ``init(_:tableBudget:)`` computes them once for each of the 2^d
/// patterns (``LeafTables``, the idea of Fast TreeSHAP v2: Yang 2021, arXiv:2109.09847). A row
/// then costs one comparison per node and d additions per leaf, instead of the recursive walk's
/// O(leaves × depth²) path updates. Trees too deep for the table budget are walked (the
/// paper's Algorithm 2, ``Walk``). No allocation per row (the path buffer is the caller's
/// ``Scratch``).
public struct TreeSHAP: Sendable {
    /// The trees explained.
    public let ensemble: TreeEnsemble
    /// The mean raw score over the training rows: the initial score plus each tree's
    /// count-weighted mean leaf value. `expectedValue + Σ φ` is the row's raw score.
    public let expectedValue: Double
    /// The deepest leaf of any tree (the root is depth 0).
    public let maxDepth: Int

    /// Per-leaf contribution tables of the trees that fit the budget.
    let tables: LeafTables

    /// The default table budget in doubles (1 MB). Every bundle load builds the tables (the
    /// scorer's reloads and the trainer's read-back too, with or without `--reasons`), so the
    /// budget bounds what that adds to start-up and to resident memory (the scorer's is a few
    /// tens of MB). The trainer's trees (a few dozen of at most 8 leaves) need a few thousand
    /// doubles; trees past the budget are walked.
    public static let defaultTableBudget = 1 << 17

    /// nil when the ensemble has no node statistics (bundles written before format 1.1).
    /// `tableBudget` caps the tables' size in doubles (0: every tree is walked).
    public init?(_ ensemble: TreeEnsemble, tableBudget: Int = TreeSHAP.defaultTableBudget) {
        guard ensemble.hasNodeStatistics else { return nil }
        self.ensemble = ensemble
        var expected = ensemble.initialScore
        var deepest = 0
        for t in 0..<ensemble.treeCount {
            let n0 = Int(ensemble.nodeStart[t]), n1 = Int(ensemble.nodeStart[t + 1])
            let l0 = Int(ensemble.leafStart[t]), l1 = Int(ensemble.leafStart[t + 1])
            if n0 == n1 {
                expected += ensemble.leafValue[l0]
                continue
            }
            let total = Double(ensemble.nodeCount[n0])
            var mean = 0.0
            for l in l0..<l1 { mean += Double(ensemble.leafCount[l]) / total * ensemble.leafValue[l] }
            expected += mean
            // Children always come after their parent, so one forward pass finds every depth.
            var depth = [Int](repeating: 0, count: n1 - n0)
            for node in 0..<(n1 - n0) {
                for child in [ensemble.leftChild[n0 + node], ensemble.rightChild[n0 + node]] {
                    if child >= 0 { depth[Int(child)] = depth[node] + 1 } else { deepest = max(deepest, depth[node] + 1) }
                }
            }
        }
        expectedValue = expected
        maxDepth = deepest
        tables = LeafTables(ensemble, budget: tableBudget, maxDepth: deepest)
    }

    /// One element of the path of unique features from the root to the current node.
    @usableFromInline
    struct PathElement {
        /// The split feature (-1 for the root's placeholder).
        var feature: Int32
        /// Share of the path's training rows kept when the feature is unknown.
        var zero: Double
        /// 1 if the row's value follows this path at the feature's splits, else 0.
        var one: Double
        /// Weight of the subsets of each size (the permutation weights of the paper).
        var weight: Double
    }

    /// Per-thread working memory: one path per recursion level.
    public final class Scratch {
        let stride: Int
        let paths: UnsafeMutablePointer<PathElement>
        /// `reciprocals[k]` = 1/k: the path updates divide by small integers, and a multiply
        /// costs a fraction of a divide on the per-row path.
        let reciprocals: UnsafeMutablePointer<Double>

        /// Buffers sized for `shap`'s deepest tree; one per thread.
        public convenience init(for shap: TreeSHAP) {
            self.init(maxDepth: shap.maxDepth)
        }

        /// Buffers for paths of at most `maxDepth` splits (the leaf tables' precomputation).
        init(maxDepth: Int) {
            stride = maxDepth + 2
            paths = .allocate(capacity: stride * stride)
            reciprocals = .allocate(capacity: stride + 2)
            reciprocals[0] = .infinity
            for k in 1..<(stride + 2) { reciprocals[k] = 1 / Double(k) }
        }

        deinit {
            paths.deallocate()
            reciprocals.deallocate()
        }
    }

    /// Adds every feature's contribution for `row` to `phi` (which the caller zeroes; length
    /// ≥ the ensemble's feature count).
    public func addContributions(
        row: UnsafeBufferPointer<Double>, to phi: UnsafeMutableBufferPointer<Double>, scratch: Scratch
    ) {
        precondition(row.count >= ensemble.featureCount && phi.count >= ensemble.featureCount)
        ensemble.splitFeature.withUnsafeBufferPointer { feature in
            ensemble.threshold.withUnsafeBufferPointer { threshold in
                ensemble.defaultLeft.withUnsafeBufferPointer { defaultLeft in
                    ensemble.leftChild.withUnsafeBufferPointer { left in
                        ensemble.rightChild.withUnsafeBufferPointer { right in
                            ensemble.leafValue.withUnsafeBufferPointer { leafValue in
                                ensemble.nodeCount.withUnsafeBufferPointer { nodeCount in
                                    ensemble.leafCount.withUnsafeBufferPointer { leafCount in
                                        var walk = Walk(
                                            row: row, phi: phi, feature: feature.baseAddress!, threshold: threshold.baseAddress!,
                                            defaultLeft: defaultLeft.baseAddress!, left: left.baseAddress!, right: right.baseAddress!,
                                            leafValue: leafValue.baseAddress!, nodeCount: nodeCount.baseAddress!,
                                            leafCount: leafCount.baseAddress!, paths: scratch.paths, reciprocals: scratch.reciprocals,
                                            stride: scratch.stride,
                                            nodeBase: 0, leafBase: 0)
                                        for t in 0..<ensemble.treeCount {
                                            let n0 = Int(ensemble.nodeStart[t]), n1 = Int(ensemble.nodeStart[t + 1])
                                            guard n1 > n0 else { continue }
                                            let l0 = Int(ensemble.leafStart[t]), l1 = Int(ensemble.leafStart[t + 1])
                                            if tables.covers[t] {
                                                tables.add(
                                                    nodes: n0..<n1, leaves: l0..<l1, row: row, feature: feature.baseAddress!,
                                                    threshold: threshold.baseAddress!, defaultLeft: defaultLeft.baseAddress!, to: phi)
                                                continue
                                            }
                                            walk.nodeBase = n0
                                            walk.leafBase = l0
                                            walk.visit(child: 0, level: 0, depth: 0, zero: 1, one: 1, feature: -1)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every feature's contribution for one row (tests, exports; the scorer reuses buffers).
    public func contributions(_ row: [Double]) -> [Double] {
        var phi = [Double](repeating: 0, count: ensemble.featureCount)
        let scratch = Scratch(for: self)
        row.withUnsafeBufferPointer { r in phi.withUnsafeMutableBufferPointer { addContributions(row: r, to: $0, scratch: scratch) } }
        return phi
    }

    /// One tree's recursion over plain pointers.
    struct Walk {
        let row: UnsafeBufferPointer<Double>
        let phi: UnsafeMutableBufferPointer<Double>
        let feature: UnsafePointer<UInt16>
        let threshold: UnsafePointer<Double>
        let defaultLeft: UnsafePointer<Bool>
        let left: UnsafePointer<Int32>
        let right: UnsafePointer<Int32>
        let leafValue: UnsafePointer<Double>
        let nodeCount: UnsafePointer<Int32>
        let leafCount: UnsafePointer<Int32>
        let paths: UnsafeMutablePointer<PathElement>
        let reciprocals: UnsafeMutablePointer<Double>
        let stride: Int
        var nodeBase: Int
        var leafBase: Int

        @inline(__always)
        func count(_ child: Int32) -> Double {
            child < 0 ? Double(leafCount[leafBase + Int(~child)]) : Double(nodeCount[nodeBase + Int(child)])
        }

        /// Enters `child` (a node index, or ~leaf) at recursion `level`, whose parent's path
        /// (at `level - 1`) holds `depth` unique features before this split's feature joins it.
        func visit(child: Int32, level: Int, depth: Int, zero: Double, one: Double, feature splitFeature: Int32) {
            let path = paths + level * stride
            if level > 0 { path.update(from: paths + (level - 1) * stride, count: depth) }
            TreeSHAP.extend(path, depth: depth, zero: zero, one: one, feature: splitFeature, reciprocals: reciprocals)
            if child < 0 {
                let value = leafValue[leafBase + Int(~child)]
                if depth == 0 { return }
                for i in 1...depth {
                    let w = TreeSHAP.unwoundSum(path, depth: depth, index: i, reciprocals: reciprocals)
                    phi[Int(path[i].feature)] += w * (path[i].one - path[i].zero) * value
                }
                return
            }
            let node = nodeBase + Int(child)
            let f = Int32(feature[node])
            let x = row[Int(f)]
            let goesLeft = x.isNaN ? defaultLeft[node] : x <= threshold[node]
            let hot = goesLeft ? left[node] : right[node]
            let cold = goesLeft ? right[node] : left[node]
            let total = Double(nodeCount[node])
            var incomingZero = 1.0
            var incomingOne = 1.0
            var depth = depth
            // A feature met again on the path: undo its earlier split and redo it here.
            var k = 1
            while k <= depth, path[k].feature != f { k += 1 }
            if k <= depth {
                incomingZero = path[k].zero
                incomingOne = path[k].one
                TreeSHAP.unwind(path, depth: depth, index: k, reciprocals: reciprocals)
                depth -= 1
            }
            visit(child: hot, level: level + 1, depth: depth + 1, zero: count(hot) / total * incomingZero, one: incomingOne, feature: f)
            visit(child: cold, level: level + 1, depth: depth + 1, zero: count(cold) / total * incomingZero, one: 0, feature: f)
        }
    }

    /// Appends a feature to a path of `depth + 1` elements (indices 0...depth-1 in use):
    /// the weights of subsets of each size grow by one feature that is known with share `one`
    /// and unknown with share `zero`. `reciprocals[k]` = 1/k.
    @inline(__always)
    static func extend(
        _ path: UnsafeMutablePointer<PathElement>, depth: Int, zero: Double, one: Double, feature: Int32,
        reciprocals: UnsafeMutablePointer<Double>
    ) {
        path[depth] = PathElement(feature: feature, zero: zero, one: one, weight: depth == 0 ? 1 : 0)
        let inverse = reciprocals[depth + 1]
        var i = depth - 1
        while i >= 0 {
            path[i + 1].weight += one * path[i].weight * Double(i + 1) * inverse
            path[i].weight = zero * path[i].weight * Double(depth - i) * inverse
            i -= 1
        }
    }

    /// Removes element `index` from a path whose last element is at `depth`: the inverse of
    /// ``extend(_:depth:zero:one:feature:reciprocals:)`` for that element.
    @inline(__always)
    static func unwind(
        _ path: UnsafeMutablePointer<PathElement>, depth: Int, index: Int, reciprocals: UnsafeMutablePointer<Double>
    ) {
        let one = path[index].one
        let zero = path[index].zero
        let n = Double(depth + 1)
        let inverse = reciprocals[depth + 1]
        var next = path[depth].weight
        var i = depth - 1
        if one != 0 {
            let scale = one == 1 ? n : n / one
            while i >= 0 {
                let kept = path[i].weight
                path[i].weight = next * scale * reciprocals[i + 1]
                next = kept - path[i].weight * zero * Double(depth - i) * inverse
                i -= 1
            }
        } else {
            let scale = n / zero
            while i >= 0 {
                path[i].weight = path[i].weight * scale * reciprocals[depth - i]
                i -= 1
            }
        }
        for j in index..<depth {
            path[j].feature = path[j + 1].feature
            path[j].zero = path[j + 1].zero
            path[j].one = path[j + 1].one
        }
    }

    /// The total weight the path would have without element `index` (``unwind`` without
    /// changing the path).
    @inline(__always)
    static func unwoundSum(
        _ path: UnsafeMutablePointer<PathElement>, depth: Int, index: Int, reciprocals: UnsafeMutablePointer<Double>
    ) -> Double {
        let one = path[index].one
        let zero = path[index].zero
        let n = Double(depth + 1)
        var total = 0.0
        var i = depth - 1
        if one != 0 {
            let scale = one == 1 ? n : n / one
            let inverse = reciprocals[depth + 1]
            var next = path[depth].weight
            while i >= 0 {
                let w = next * scale * reciprocals[i + 1]
                total += w
                next = path[i].weight - w * zero * Double(depth - i) * inverse
                i -= 1
            }
        } else {
            let scale = n / zero
            while i >= 0 {
                total += path[i].weight * reciprocals[depth - i]
                i -= 1
            }
            total *= scale
        }
        return total
    }
}
