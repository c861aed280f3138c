import ModelFormat

/// A tree as the booster grows it: splits on bin codes, so training rows and validation rows
/// (already binned) are routed without looking at raw values. Becomes part of a
/// `TreeEnsemble` (raw thresholds) when fitting ends.
struct BinnedTree {
    var feature: [Int32] = []
    /// Value bins `0...bin` go left.
    var bin: [UInt8] = []
    var defaultLeft: [Bool] = []
    /// Non-negative: node index; negative: leaf `~child`.
    var left: [Int32] = []
    var right: [Int32] = []
    var gain: [Double] = []
    var leafValue: [Double] = []
    /// Bag rows and their hessian sum per node and per leaf (LightGBM's `internal_count`,
    /// `internal_weight`, `leaf_count`, `leaf_weight`).
    var nodeCount: [Int32] = []
    var nodeWeight: [Double] = []
    var leafCount: [Int32] = []
    var leafWeight: [Double] = []

    /// Leaf reached by `row` of column-major codes (`columns[feature * rows + row]`).
    @inline(__always)
    func leaf(row: Int, columns: UnsafePointer<UInt8>, rows: Int, missingCodes: UnsafePointer<Int>) -> Int {
        if feature.isEmpty { return 0 }
        var node = 0
        while true {
            let f = Int(feature[node])
            let code = Int(columns[f &* rows &+ row])
            let goLeft = code == missingCodes[f] ? defaultLeft[node] : code <= Int(bin[node])
            let child = goLeft ? left[node] : right[node]
            if child < 0 { return Int(~child) }
            node = Int(child)
        }
    }
}

extension TreeEnsemble {
    /// Appends a binned tree, turning each bin threshold into the bin's raw upper edge.
    mutating func append(_ tree: BinnedTree, binner: FeatureBinner) {
        appendTree(
            splitFeature: tree.feature.map { UInt16($0) },
            threshold: zip(tree.feature, tree.bin).map { binner.upperEdges[Int($0.0)][Int($0.1)] },
            defaultLeft: tree.defaultLeft, leftChild: tree.left, rightChild: tree.right,
            leafValue: tree.leafValue,
            statistics: NodeStatistics(
                splitGain: tree.gain, nodeCount: tree.nodeCount, nodeWeight: tree.nodeWeight,
                leafCount: tree.leafCount, leafWeight: tree.leafWeight))
    }
}
