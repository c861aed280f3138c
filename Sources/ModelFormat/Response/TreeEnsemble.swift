import Foundation

/// A fitted gradient-boosted tree ensemble for binary classification, stored as flat arrays
/// so that a model of hundreds of trees is a handful of contiguous buffers (cheap to encode,
/// cache-friendly to walk).
///
/// Every internal node compares a RAW feature value with its threshold (`value <= threshold`
/// goes left), so prediction needs no binning; a missing value (`Double.nan`) follows the
/// node's learned default direction. Children are encoded as in LightGBM: a non-negative
/// child is an internal node index within the tree, a negative child `c` is leaf `~c`.
public struct TreeEnsemble: Sendable, Hashable {
    /// Number of features a row must have.
    public var featureCount: Int
    /// Raw score every tree adds to (log-odds of the training base rate).
    public var initialScore: Double
    /// `nodeStart[t]..<nodeStart[t + 1]` are tree t's internal nodes (count + 1 entries).
    public var nodeStart: [Int32]
    /// `leafStart[t]..<leafStart[t + 1]` are tree t's leaves (count + 1 entries).
    public var leafStart: [Int32]
    /// The feature each internal node tests.
    public var splitFeature: [UInt16]
    /// Each internal node's threshold: a value `<=` it goes left.
    public var threshold: [Double]
    /// Where a missing value goes at each node.
    public var defaultLeft: [Bool]
    /// Each internal node's left child (a node index, or `~leaf` when negative).
    public var leftChild: [Int32]
    /// Each internal node's right child, encoded as ``leftChild``.
    public var rightChild: [Int32]
    /// Leaf outputs, already multiplied by the learning rate.
    public var leafValue: [Double]

    // Training statistics per node, as LightGBM keeps them (`split_gain`, `internal_count`,
    // `internal_weight`, `leaf_count`, `leaf_weight`): what TreeSHAP weighs the branches a
    // row does not take with, and what a LightGBM export writes. Either empty (an ensemble
    // fitted before format 1.1, or built by hand) or one entry per node / leaf.

    /// Gain of each internal node's split.
    public var splitGain: [Double] = []
    /// Training rows (of the tree's bag) that reached each internal node.
    public var nodeCount: [Int32] = []
    /// Sum of the hessians of those rows.
    public var nodeWeight: [Double] = []
    /// Training rows that ended in each leaf.
    public var leafCount: [Int32] = []
    /// Sum of their hessians.
    public var leafWeight: [Double] = []

    /// An ensemble of no trees over `featureCount` features; trees are appended by the booster.
    public init(featureCount: Int, initialScore: Double) {
        self.featureCount = featureCount
        self.initialScore = initialScore
        nodeStart = [0]
        leafStart = [0]
        splitFeature = []
        threshold = []
        defaultLeft = []
        leftChild = []
        rightChild = []
        leafValue = []
    }

    /// Trees in the ensemble.
    public var treeCount: Int { nodeStart.count - 1 }

    /// Whether every node and leaf has its training statistics (what reason codes and the
    /// LightGBM export need).
    public var hasNodeStatistics: Bool {
        treeCount > 0 && nodeCount.count == splitFeature.count && leafCount.count == leafValue.count
            && splitGain.count == splitFeature.count && nodeWeight.count == splitFeature.count
            && leafWeight.count == leafValue.count
    }

    /// One tree's training statistics, in the order of its nodes and leaves.
    public struct NodeStatistics: Sendable, Hashable {
        /// Gain of each internal node's split.
        public var splitGain: [Double]
        /// Training rows that reached each internal node.
        public var nodeCount: [Int32]
        /// Sum of those rows' hessians.
        public var nodeWeight: [Double]
        /// Training rows that ended in each leaf.
        public var leafCount: [Int32]
        /// Sum of those rows' hessians.
        public var leafWeight: [Double]

        /// One tree's statistics, each array in the order of its nodes or leaves.
        public init(splitGain: [Double], nodeCount: [Int32], nodeWeight: [Double], leafCount: [Int32], leafWeight: [Double]) {
            self.splitGain = splitGain
            self.nodeCount = nodeCount
            self.nodeWeight = nodeWeight
            self.leafCount = leafCount
            self.leafWeight = leafWeight
        }
    }

    /// Appends one tree given as parallel node arrays (children encoded as above) and leaves.
    public mutating func appendTree(
        splitFeature features: [UInt16], threshold thresholds: [Double], defaultLeft defaults: [Bool],
        leftChild lefts: [Int32], rightChild rights: [Int32], leafValue leaves: [Double],
        statistics: NodeStatistics? = nil
    ) {
        precondition(features.count == thresholds.count && features.count == defaults.count
            && features.count == lefts.count && features.count == rights.count)
        precondition(leaves.count == features.count + 1, "a binary tree has one more leaf than nodes")
        splitFeature += features
        threshold += thresholds
        defaultLeft += defaults
        leftChild += lefts
        rightChild += rights
        leafValue += leaves
        if let statistics {
            precondition(statistics.splitGain.count == features.count && statistics.nodeCount.count == features.count
                && statistics.nodeWeight.count == features.count && statistics.leafCount.count == leaves.count
                && statistics.leafWeight.count == leaves.count, "node statistics of another shape than the tree")
            splitGain += statistics.splitGain
            nodeCount += statistics.nodeCount
            nodeWeight += statistics.nodeWeight
            leafCount += statistics.leafCount
            leafWeight += statistics.leafWeight
        }
        nodeStart.append(Int32(splitFeature.count))
        leafStart.append(Int32(leafValue.count))
    }

    /// The first `count` trees (used to cut an ensemble back to its best iteration).
    public func prefix(trees count: Int) -> TreeEnsemble {
        let count = max(0, min(count, treeCount))
        var copy = TreeEnsemble(featureCount: featureCount, initialScore: initialScore)
        let nodes = Int(nodeStart[count])
        let leaves = Int(leafStart[count])
        copy.nodeStart = Array(nodeStart[0...count])
        copy.leafStart = Array(leafStart[0...count])
        copy.splitFeature = Array(splitFeature[0..<nodes])
        copy.threshold = Array(threshold[0..<nodes])
        copy.defaultLeft = Array(defaultLeft[0..<nodes])
        copy.leftChild = Array(leftChild[0..<nodes])
        copy.rightChild = Array(rightChild[0..<nodes])
        copy.leafValue = Array(leafValue[0..<leaves])
        if hasNodeStatistics {
            copy.splitGain = Array(splitGain[0..<nodes])
            copy.nodeCount = Array(nodeCount[0..<nodes])
            copy.nodeWeight = Array(nodeWeight[0..<nodes])
            copy.leafCount = Array(leafCount[0..<leaves])
            copy.leafWeight = Array(leafWeight[0..<leaves])
        }
        return copy
    }

    /// Output of tree `t` for a row.
    @inlinable
    public func treeOutput(_ t: Int, row: UnsafeBufferPointer<Double>) -> Double {
        let base = Int(nodeStart[t])
        let leafBase = Int(leafStart[t])
        if Int(nodeStart[t + 1]) == base { return leafValue[leafBase] }
        var node = 0
        while true {
            let i = base + node
            let value = row[Int(splitFeature[i])]
            let goLeft = value.isNaN ? defaultLeft[i] : value <= threshold[i]
            let child = goLeft ? leftChild[i] : rightChild[i]
            if child < 0 { return leafValue[leafBase + Int(~child)] }
            node = Int(child)
        }
    }

    /// Log-odds: the initial score plus every tree's output, summed in tree order.
    @inlinable
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count >= featureCount, "TreeEnsemble: row has \(row.count) values, needs \(featureCount)")
        var score = initialScore
        for t in 0..<treeCount { score += treeOutput(t, row: row) }
        return score
    }

    /// The log-odds of a row held in an array.
    public func rawScore(_ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { rawScore($0) }
    }

    /// Probability of the positive class.
    @inlinable
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double {
        Logistic.sigmoid(rawScore(row))
    }

    /// The probability of the positive class for a row held in an array.
    public func probability(_ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { probability($0) }
    }
}

/// The logistic link shared by every response model.
public enum Logistic {
    /// 1 / (1 + e^−z), computed so that neither branch overflows for large |z|.
    @inlinable
    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : { let e = exp(z); return e / (1 + e) }()
    }

    /// log(p / (1 - p)), clamped away from 0 and 1 so it stays finite.
    @inlinable
    public static func logit(_ p: Double) -> Double {
        let q = min(max(p, 1e-15), 1 - 1e-15)
        return log(q / (1 - q))
    }
}
