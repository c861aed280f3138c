extension TreeSHAP {
    /// Every leaf's SHAP contributions, precomputed for each pattern of the row's path.
    ///
    /// At a leaf, path-dependent TreeSHAP adds, for each distinct feature j split on along the
    /// leaf's path, `unwoundSum(path, j) × (one_j − zero_j) × value`, where `zero_j` is the
    /// share of training rows the path keeps at j's splits (fixed by the tree) and `one_j` is 1
    /// if the row follows the path at every split on j, else 0. Only the d bits `one_j` depend
    /// on the row, so the d contributions of each of the 2^d patterns are computed here once,
    /// by the same path algebra the walk uses (``TreeSHAP/extend(_:depth:zero:one:feature:reciprocals:)``,
    /// ``TreeSHAP/unwoundSum(_:depth:index:reciprocals:)``); the order in which a path's
    /// features are added does not change its weights. A tree is covered when it has at most
    /// 64 internal nodes (its split outcomes fit one `UInt64`) and its tables fit the budget.
    struct LeafTables: Sendable {
        /// Per tree: whether its leaves have tables (else the row walks it).
        private(set) var covers: [Bool]
        /// `entryStart[leaf]..<entryStart[leaf + 1]`: the leaf's distinct path features.
        private(set) var entryStart: [Int32]
        private(set) var entryFeature: [Int32]
        /// The tree's internal nodes (bit = node index within the tree) that split on the feature.
        private(set) var entryNodes: [UInt64]
        /// At those nodes, the bit set where the path goes left.
        private(set) var entryLeft: [UInt64]
        /// Where the leaf's tables begin in `values`: pattern p's contributions are at
        /// `valueStart[leaf] + p × d ..< + d`, in entry order.
        private(set) var valueStart: [Int]
        private(set) var values: [Double]

        /// A leaf with more distinct path features than this is walked (2^d patterns).
        static let maxPathFeatures = 16

        init(_ ensemble: TreeEnsemble, budget: Int, maxDepth: Int) {
            let leafCount = ensemble.leafValue.count
            covers = [Bool](repeating: false, count: ensemble.treeCount)
            entryStart = [Int32](repeating: 0, count: leafCount + 1)
            (entryFeature, entryNodes, entryLeft) = ([], [], [])
            valueStart = [Int](repeating: 0, count: leafCount)
            values = []
            let scratch = Scratch(maxDepth: maxDepth)

            for t in 0..<ensemble.treeCount {
                let n0 = Int(ensemble.nodeStart[t]), n1 = Int(ensemble.nodeStart[t + 1])
                let l0 = Int(ensemble.leafStart[t]), l1 = Int(ensemble.leafStart[t + 1])
                defer {
                    // A walked tree's leaves have no entries; a covered one's were set below.
                    for leaf in l0..<l1 where !covers[t] { entryStart[leaf + 1] = Int32(entryFeature.count) }
                }
                guard n1 > n0, n1 - n0 <= 64 else { continue }
                let paths = Self.leafPaths(ensemble, nodes: n0, leaves: l0..<l1)
                guard paths.allSatisfy({ $0.count <= Self.maxPathFeatures }) else { continue }
                let size = paths.reduce(0) { $0 + ($1.count << $1.count) }
                guard values.count + size <= budget else { continue }
                covers[t] = true
                for (offset, path) in paths.enumerated() {
                    let leaf = l0 + offset
                    valueStart[leaf] = values.count
                    for entry in path {
                        entryFeature.append(entry.feature)
                        entryNodes.append(entry.nodes)
                        entryLeft.append(entry.left)
                    }
                    entryStart[leaf + 1] = Int32(entryFeature.count)
                    Self.appendTable(path, value: ensemble.leafValue[leaf], scratch: scratch, to: &values)
                }
            }
        }

        /// One distinct feature on a leaf's path: its nodes there, the directions taken and the
        /// share of training rows the path keeps at them.
        struct PathEntry {
            var feature: Int32
            var nodes: UInt64
            var left: UInt64
            var zero: Double
        }

        /// Each leaf's distinct path features (in the order first met from the root), by a
        /// depth-first walk of the tree whose internal nodes start at `nodes`.
        static func leafPaths(_ e: TreeEnsemble, nodes n0: Int, leaves: Range<Int>) -> [[PathEntry]] {
            var result = [[PathEntry]](repeating: [], count: leaves.count)
            func count(_ child: Int32) -> Double {
                child < 0 ? Double(e.leafCount[leaves.lowerBound + Int(~child)]) : Double(e.nodeCount[n0 + Int(child)])
            }
            func visit(_ node: Int, _ path: [PathEntry]) {
                let i = n0 + node
                let feature = Int32(e.splitFeature[i])
                for (child, goesLeft) in [(e.leftChild[i], true), (e.rightChild[i], false)] {
                    var next = path
                    let share = count(child) / Double(e.nodeCount[i])
                    let bit = UInt64(1) << UInt64(node)
                    if let k = next.firstIndex(where: { $0.feature == feature }) {
                        next[k].nodes |= bit
                        if goesLeft { next[k].left |= bit }
                        next[k].zero *= share
                    } else {
                        next.append(PathEntry(feature: feature, nodes: bit, left: goesLeft ? bit : 0, zero: share))
                    }
                    if child < 0 { result[Int(~child)] = next } else { visit(Int(child), next) }
                }
            }
            visit(0, [])
            return result
        }

        /// Appends a leaf's 2^d × d contributions: pattern bit j set = the row follows the path
        /// at feature j's splits.
        static func appendTable(_ path: [PathEntry], value: Double, scratch: Scratch, to values: inout [Double]) {
            let d = path.count
            let buffer = scratch.paths
            for pattern in 0..<(1 << d) {
                TreeSHAP.extend(buffer, depth: 0, zero: 1, one: 1, feature: -1, reciprocals: scratch.reciprocals)
                for (j, entry) in path.enumerated() {
                    let one: Double = pattern & (1 << j) != 0 ? 1 : 0
                    TreeSHAP.extend(
                        buffer, depth: j + 1, zero: entry.zero, one: one, feature: entry.feature,
                        reciprocals: scratch.reciprocals)
                }
                for i in 1...d {
                    let w = TreeSHAP.unwoundSum(buffer, depth: d, index: i, reciprocals: scratch.reciprocals)
                    values.append(w * (buffer[i].one - buffer[i].zero) * value)
                }
            }
        }

        /// Adds one covered tree's contributions for `row`: its split outcomes as bits, then per
        /// leaf the pattern of features the row follows and that pattern's d values.
        @inline(__always)
        func add(
            nodes: Range<Int>, leaves: Range<Int>, row: UnsafeBufferPointer<Double>, feature: UnsafePointer<UInt16>,
            threshold: UnsafePointer<Double>, defaultLeft: UnsafePointer<Bool>, to phi: UnsafeMutableBufferPointer<Double>
        ) {
            var wentLeft: UInt64 = 0
            for node in nodes {
                let x = row[Int(feature[node])]
                if x.isNaN ? defaultLeft[node] : x <= threshold[node] {
                    wentLeft |= UInt64(1) << UInt64(node - nodes.lowerBound)
                }
            }
            entryStart.withUnsafeBufferPointer { start in
                entryNodes.withUnsafeBufferPointer { entryNodes in
                    entryLeft.withUnsafeBufferPointer { entryLeft in
                        entryFeature.withUnsafeBufferPointer { entryFeature in
                            values.withUnsafeBufferPointer { values in
                                for leaf in leaves {
                                    let e0 = Int(start[leaf]), d = Int(start[leaf + 1]) - e0
                                    var pattern = 0
                                    for j in 0..<d where (wentLeft ^ entryLeft[e0 + j]) & entryNodes[e0 + j] == 0 {
                                        pattern |= 1 << j
                                    }
                                    let base = valueStart[leaf] + pattern * d
                                    for j in 0..<d { phi[Int(entryFeature[e0 + j])] += values[base + j] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
