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
}

extension BinnedTree {
    /// Stable partition of `items[0..<count]` by one split (`code(item)` the item's code of the
    /// split's feature; bins `0...bin` go left, the missing code as `defaultLeft` says): the items
    /// going left first, in their order, then the others. Returns how many go left. Branch-free:
    /// every item is written to both sides and only the side it belongs to moves on (a split
    /// sends rows either way at random, as far as a branch predictor can tell).
    @inline(__always)
    static func partition(_ items: UnsafeMutablePointer<Int32>, count: Int, bin: Int, missingCode: Int, defaultLeft: Bool,
                          scratch: UnsafeMutablePointer<Int32>, code: (Int32) -> Int) -> Int {
        let missingLeft = defaultLeft ? 1 : 0
        var write = 0
        var spilled = 0
        for k in 0..<count {
            let item = items[k]
            let code = code(item)
            // The missing code is above every value bin, so `code <= bin` is false for it.
            let goesLeft = (code <= bin ? 1 : 0) | (code == missingCode ? missingLeft : 0)
            items[write] = item
            scratch[spilled] = item
            write &+= goesLeft
            spilled &+= 1 &- goesLeft
        }
        (items + write).update(from: scratch, count: spilled)
        return write
    }

    /// Sends `positions[0..<count]` (indices into `rows`, whose entries index the column-major
    /// `columns`) down the tree node by node, as training partitions its rows, and calls
    /// `reached(leaf, positions)` once per leaf with the positions that reach it, in their
    /// order. Reads a node's column for its rows in row order, where walking the tree row by
    /// row jumps between columns and mispredicts half its turns. `positions` is reordered;
    /// `scratch` holds `count`.
    func route(_ positions: UnsafeMutablePointer<Int32>, count: Int, rows: UnsafePointer<Int32>,
               columns: UnsafePointer<UInt8>, rowCount: Int, missingCodes: UnsafePointer<Int>,
               scratch: UnsafeMutablePointer<Int32>, reached: (Int, UnsafeBufferPointer<Int32>) -> Void) {
        if feature.isEmpty {
            reached(0, UnsafeBufferPointer(start: positions, count: count))
            return
        }
        // (node or ~leaf, first position, count) still to send on.
        var pending: [(Int32, Int, Int)] = [(0, 0, count)]
        while let (node, first, length) = pending.popLast() {
            if node < 0 {
                reached(Int(~node), UnsafeBufferPointer(start: positions + first, count: length))
                continue
            }
            let n = Int(node)
            let f = Int(feature[n])
            let column = columns + f * rowCount
            let goingLeft = Self.partition(positions + first, count: length, bin: Int(bin[n]),
                                           missingCode: missingCodes[f], defaultLeft: defaultLeft[n],
                                           scratch: scratch) { Int(column[Int(rows[Int($0)])]) }
            pending.append((right[n], first + goingLeft, length - goingLeft))
            pending.append((left[n], first, goingLeft))
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
