/// A ``TreeEnsemble`` laid out for prediction: one array of node structs, every tree walked a
/// fixed number of steps without a data-dependent branch. What ``ScoringModel`` predicts with
/// (the scorer's rows and the trainer's test rows alike).
///
/// The ensemble's parallel arrays cost five bounds-checked loads and an unpredictable branch
/// per node. Here a node holds its feature, threshold, default direction and both children
/// (absolute indices), and a leaf is a node whose children are itself: a tree is walked for
/// exactly its depth, choosing the child arithmetically, and a row that reaches a leaf early
/// stays on it. Eight trees of about the same depth are walked side by side
/// (independent load chains), and their outputs are still added one tree after the other, so the sum has the bits of
/// ``TreeEnsemble/rawScore(_:)``.
public final class FlatTreeEnsemble: @unchecked Sendable {
    /// One node (or leaf) of the flattened ensemble.
    struct Node {
        var threshold: Double
        var feature: Int32
        /// 1 when a missing value goes left, else 0.
        var defaultLeft: Int32
        var left: Int32
        var right: Int32
    }

    /// Features a row must have.
    public let featureCount: Int
    /// Raw score every tree adds to.
    public let initialScore: Double
    /// Number of trees.
    public let treeCount: Int
    // Immutable after init and owned by this object (freed in deinit), shared read-only by
    // concurrent workers, hence the unchecked Sendable.
    private let nodes: UnsafeMutableBufferPointer<Node>
    /// The output of each node: its leaf value for a leaf, unused (0) for an internal node.
    private let values: UnsafeMutableBufferPointer<Double>
    /// The node each tree starts at.
    private let roots: UnsafeMutableBufferPointer<Int32>
    /// The trees by increasing depth: eight after eight, they are walked side by side.
    private let order: UnsafeMutableBufferPointer<Int32>
    /// Steps that take every row of a group of eight trees (`order[8 g..<8 g + 8]`) to a leaf:
    /// the group's largest depth.
    private let groupDepth: UnsafeMutableBufferPointer<Int32>

    /// Flattens `ensemble` (whose trees must be well formed, as decoding checks).
    public init(_ ensemble: TreeEnsemble) {
        let featureCount = ensemble.featureCount
        self.featureCount = featureCount
        initialScore = ensemble.initialScore
        treeCount = ensemble.treeCount
        var nodes: [Node] = []
        var values: [Double] = []
        var roots: [Int32] = []
        var depths: [Int32] = []
        for t in 0..<ensemble.treeCount {
            let nodeBase = Int(ensemble.nodeStart[t])
            let internalCount = Int(ensemble.nodeStart[t + 1]) - nodeBase
            let leafBase = Int(ensemble.leafStart[t])
            let leafCount = Int(ensemble.leafStart[t + 1]) - leafBase
            // This tree's internal nodes first, then its leaves.
            let first = nodes.count
            func index(ofChild child: Int32, of node: Int) -> Int32 {
                // The walk below reads through unchecked pointers: a child must be a later node
                // of the same tree (so every walk ends) or one of its leaves.
                precondition(
                    child < 0 ? Int(~child) < leafCount : (Int(child) > node && Int(child) < internalCount),
                    "FlatTreeEnsemble: tree \(t) node \(node) has an invalid child \(child)")
                return child < 0 ? Int32(first + internalCount + Int(~child)) : Int32(first + Int(child))
            }
            precondition(leafCount == internalCount + 1, "FlatTreeEnsemble: tree \(t) has \(internalCount) nodes and \(leafCount) leaves")
            for n in 0..<internalCount {
                let i = nodeBase + n
                precondition(Int(ensemble.splitFeature[i]) < featureCount, "FlatTreeEnsemble: tree \(t) splits on feature \(ensemble.splitFeature[i]) of \(featureCount)")
                nodes.append(Node(
                    threshold: ensemble.threshold[i], feature: Int32(ensemble.splitFeature[i]),
                    defaultLeft: ensemble.defaultLeft[i] ? 1 : 0,
                    left: index(ofChild: ensemble.leftChild[i], of: n), right: index(ofChild: ensemble.rightChild[i], of: n)))
                values.append(0)
            }
            for l in 0..<leafCount {
                let me = Int32(nodes.count)
                nodes.append(Node(threshold: 0, feature: 0, defaultLeft: 0, left: me, right: me))
                values.append(ensemble.leafValue[leafBase + l])
            }
            // A tree without internal nodes starts (and stays) on its only leaf.
            roots.append(Int32(first))
            depths.append(Self.depth(nodes, root: first, internalCount: internalCount))
        }
        // Trees of equal depth walked side by side waste no steps: groups of eight in order of
        // depth (stable), each walked for its deepest tree's depth.
        let order = (0..<depths.count).sorted { (depths[$0], $0) < (depths[$1], $1) }
        var groups: [Int32] = []
        for g in stride(from: 0, to: order.count, by: 8) { groups.append(order[g..<min(g + 8, order.count)].map { depths[$0] }.max()!) }
        self.order = OwnedBuffer.copy(order.map(Int32.init))
        self.nodes = OwnedBuffer.copy(nodes)
        self.values = OwnedBuffer.copy(values)
        self.roots = OwnedBuffer.copy(roots)
        self.groupDepth = OwnedBuffer.copy(groups)
    }

    deinit {
        nodes.deallocate()
        values.deallocate()
        roots.deallocate()
        order.deallocate()
        groupDepth.deallocate()
    }

    /// The most steps from `root` to a leaf (0 for a tree that is a single leaf).
    private static func depth(_ nodes: [Node], root: Int, internalCount: Int) -> Int32 {
        guard internalCount > 0 else { return 0 }
        var deepest: Int32 = 0
        var stack: [(node: Int32, depth: Int32)] = [(Int32(root), 0)]
        while let (node, depth) = stack.popLast() {
            let n = nodes[Int(node)]
            if n.left == node {
                deepest = max(deepest, depth)
                continue
            }
            stack.append((n.left, depth + 1))
            stack.append((n.right, depth + 1))
        }
        return deepest
    }

    /// One step down from `node` for `row`: left when the value is `<=` the threshold, or
    /// missing and the node sends missing values left. A leaf steps to itself.
    @inline(__always)
    private static func step(_ nodes: UnsafeMutablePointer<Node>, _ node: Int32, _ row: UnsafePointer<Double>) -> Int32 {
        let n = nodes[Int(node)]
        let value = row[Int(n.feature)]
        // `value <= threshold` is false for NaN: the default direction decides then.
        let goLeft = Int32(truncatingIfNeeded: (value <= n.threshold ? 1 : 0) | ((value.isNaN ? 1 : 0) & Int(n.defaultLeft)))
        return n.right ^ ((n.left ^ n.right) & (0 &- goLeft))
    }

    /// Log-odds: the initial score plus every tree's output, added in tree order.
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count >= featureCount, "FlatTreeEnsemble: row has \(row.count) values, needs \(featureCount)")
        guard let x = row.baseAddress else {
            // No features: every tree is a single leaf, and the walk reads no value.
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: 1) { rawScore(UnsafePointer($0.baseAddress!)) }
        }
        return rawScore(x)
    }

    private func rawScore(_ x: UnsafePointer<Double>) -> Double {
        let nodes = self.nodes.baseAddress!
        let values = self.values.baseAddress!
        let roots = self.roots.baseAddress!
        let order = self.order.baseAddress!
        let treeCount = self.treeCount
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: treeCount) { outputs in
            let out = outputs.baseAddress!
            var k = 0
            var group = 0
            while k + 8 <= treeCount {
                let (t0, t1, t2, t3) = (Int(order[k]), Int(order[k + 1]), Int(order[k + 2]), Int(order[k + 3]))
                let (t4, t5, t6, t7) = (Int(order[k + 4]), Int(order[k + 5]), Int(order[k + 6]), Int(order[k + 7]))
                var (a, b, c, d) = (roots[t0], roots[t1], roots[t2], roots[t3])
                var (e, f, g, h) = (roots[t4], roots[t5], roots[t6], roots[t7])
                for _ in 0..<Int(groupDepth[group]) {
                    a = Self.step(nodes, a, x)
                    b = Self.step(nodes, b, x)
                    c = Self.step(nodes, c, x)
                    d = Self.step(nodes, d, x)
                    e = Self.step(nodes, e, x)
                    f = Self.step(nodes, f, x)
                    g = Self.step(nodes, g, x)
                    h = Self.step(nodes, h, x)
                }
                out[t0] = values[Int(a)]
                out[t1] = values[Int(b)]
                out[t2] = values[Int(c)]
                out[t3] = values[Int(d)]
                out[t4] = values[Int(e)]
                out[t5] = values[Int(f)]
                out[t6] = values[Int(g)]
                out[t7] = values[Int(h)]
                k += 8
                group += 1
            }
            if k < treeCount {
                let depth = Int(groupDepth[group])
                while k < treeCount {
                    let t = Int(order[k])
                    var a = roots[t]
                    for _ in 0..<depth { a = Self.step(nodes, a, x) }
                    out[t] = values[Int(a)]
                    k += 1
                }
            }
            // In tree order, as TreeEnsemble adds them.
            var score = initialScore
            for t in 0..<treeCount { score += out[t] }
            return score
        }
    }

    /// The log-odds of a row held in an array.
    public func rawScore(_ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { rawScore($0) }
    }

    /// Probability of the positive class.
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double {
        Logistic.sigmoid(rawScore(row))
    }
}
