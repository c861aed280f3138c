// Binary encodings of the response-model values (the bundle's `booster`, `logistic` and
// `calibration` sections).

extension TreeEnsemble: BinaryCodable {
    /// Writes the flat arrays, then the node statistics when every node has them (format 1.1;
    /// 1.0 readers stop before them).
    public func encode(to writer: inout BinaryWriter) {
        writer.write(featureCount)
        writer.write(initialScore)
        writer.write(nodeStart)
        writer.write(leafStart)
        writer.write(splitFeature)
        writer.write(threshold)
        writer.write(defaultLeft.map { $0 ? UInt8(1) : 0 })
        writer.write(leftChild)
        writer.write(rightChild)
        writer.write(leafValue)
        // Format 1.1: the node statistics follow; 1.0 readers stop before them.
        if hasNodeStatistics {
            writer.write(splitGain)
            writer.write(nodeCount)
            writer.write(nodeWeight)
            writer.write(leafCount)
            writer.write(leafWeight)
        }
    }

    /// Validates the whole structure, so a crafted section cannot make ``treeOutput(_:row:)``
    /// read out of bounds or loop: every tree's node and leaf ranges lie inside the arrays, it
    /// has one more leaf than nodes, every split reads an existing feature, and every internal
    /// child points forward within its tree (so a walk always ends at a leaf).
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let featureCount = try reader.read(Int.self)
        let initialScore = try reader.read(Double.self)
        let nodeStart = try reader.read([Int32].self)
        let leafStart = try reader.read([Int32].self)
        let splitFeature = try reader.read([UInt16].self)
        let threshold = try reader.read([Double].self)
        let defaultBytes = try reader.read([UInt8].self)
        let leftChild = try reader.read([Int32].self)
        let rightChild = try reader.read([Int32].self)
        let leafValue = try reader.read([Double].self)
        var statistics: (gain: [Double], nodeCount: [Int32], nodeWeight: [Double], leafCount: [Int32], leafWeight: [Double])?
        if !reader.isAtEnd {
            statistics = (
                try reader.read([Double].self), try reader.read([Int32].self), try reader.read([Double].self),
                try reader.read([Int32].self), try reader.read([Double].self))
        }
        func fail(_ problem: String) -> BundleError { .malformed(section: nil, offset: start, problem: problem) }

        let nodes = splitFeature.count
        guard featureCount >= 0, featureCount <= Int(UInt16.max) + 1 else { throw fail("feature count \(featureCount)") }
        guard threshold.count == nodes, defaultBytes.count == nodes, leftChild.count == nodes, rightChild.count == nodes
        else { throw fail("node arrays of different lengths (\(nodes) split features)") }
        guard defaultBytes.allSatisfy({ $0 <= 1 }) else { throw fail("a default direction is neither 0 nor 1") }
        var ensemble = TreeEnsemble(featureCount: featureCount, initialScore: initialScore)
        if let statistics {
            ensemble.splitGain = statistics.gain
            ensemble.nodeCount = statistics.nodeCount
            ensemble.nodeWeight = statistics.nodeWeight
            ensemble.leafCount = statistics.leafCount
            ensemble.leafWeight = statistics.leafWeight
        }
        ensemble.nodeStart = nodeStart
        ensemble.leafStart = leafStart
        ensemble.splitFeature = splitFeature
        ensemble.threshold = threshold
        ensemble.defaultLeft = defaultBytes.map { $0 == 1 }
        ensemble.leftChild = leftChild
        ensemble.rightChild = rightChild
        ensemble.leafValue = leafValue
        try ensemble.checkTrees(fail)
        try ValueChecks.finite(initialScore, "initialScore")
        try ValueChecks.finite(threshold, "threshold")
        try ValueChecks.finite(leafValue, "leafValue")
        if statistics != nil { try ensemble.checkNodeStatistics(fail) }
        self = ensemble
    }

    /// Every tree's node and leaf ranges lie inside the arrays, with one more leaf than nodes;
    /// every split reads an existing feature and every internal child points forward within
    /// its tree (so a walk always ends at a leaf).
    private func checkTrees(_ fail: (String) -> BundleError) throws(BundleError) {
        let nodes = splitFeature.count
        guard !nodeStart.isEmpty, nodeStart.count == leafStart.count, nodeStart[0] == 0, leafStart[0] == 0,
            Int(nodeStart[nodeStart.count - 1]) == nodes, Int(leafStart[leafStart.count - 1]) == leafValue.count
        else { throw fail("tree ranges do not cover the \(nodes) nodes and \(leafValue.count) leaves") }
        for t in 0..<(nodeStart.count - 1) {
            let n0 = Int(nodeStart[t]), n1 = Int(nodeStart[t + 1])
            let l0 = Int(leafStart[t]), l1 = Int(leafStart[t + 1])
            guard n0 <= n1, l0 <= l1, l1 - l0 == n1 - n0 + 1 else {
                throw fail("tree \(t) has \(n1 - n0) nodes and \(l1 - l0) leaves")
            }
            for node in 0..<(n1 - n0) {
                let i = n0 + node
                guard Int(splitFeature[i]) < featureCount else {
                    throw fail("tree \(t) splits on feature \(splitFeature[i]) of \(featureCount)")
                }
                for child in [leftChild[i], rightChild[i]] {
                    let valid = child < 0 ? Int(~child) < l1 - l0 : (Int(child) > node && Int(child) < n1 - n0)
                    guard valid else { throw fail("tree \(t) node \(node) has an invalid child \(child)") }
                }
            }
        }
    }

    /// The node statistics cover every node and leaf, and each node's count is positive and
    /// the sum of its children's (TreeSHAP divides by it). Call after ``checkTrees(_:)``.
    private func checkNodeStatistics(_ fail: (String) -> BundleError) throws(BundleError) {
        let nodes = splitFeature.count
        guard splitGain.count == nodes, nodeCount.count == nodes, nodeWeight.count == nodes,
            leafCount.count == leafValue.count, leafWeight.count == leafValue.count
        else { throw fail("node statistics do not cover the \(nodes) nodes and \(leafValue.count) leaves") }
        for t in 0..<(nodeStart.count - 1) {
            let n0 = Int(nodeStart[t]), n1 = Int(nodeStart[t + 1]), l0 = Int(leafStart[t])
            for i in n0..<n1 {
                func count(_ child: Int32) -> Int32 {
                    child < 0 ? leafCount[l0 + Int(~child)] : nodeCount[n0 + Int(child)]
                }
                let (left, right) = (Int(count(leftChild[i])), Int(count(rightChild[i])))
                guard nodeCount[i] > 0, left > 0, right > 0, left + right == Int(nodeCount[i]) else {
                    throw fail("tree \(t) node \(i - n0) counts \(nodeCount[i]) rows, its children \(left) + \(right)")
                }
            }
        }
    }
}

extension LogisticModel: BinaryCodable {
    /// Writes the means, scales, weights and intercept.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(means)
        writer.write(scales)
        writer.write(weights)
        writer.write(intercept)
    }

    /// Reads a model, refusing arrays of different lengths.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let means = try reader.read([Double].self)
        let scales = try reader.read([Double].self)
        let weights = try reader.read([Double].self)
        let intercept = try reader.read(Double.self)
        guard means.count == scales.count, means.count == weights.count else {
            throw BundleError.malformed(
                section: nil, offset: start,
                problem: "\(means.count) means, \(scales.count) scales and \(weights.count) weights")
        }
        try ValueChecks.finite(means, "means")
        try ValueChecks.finite(scales, "scales")
        if let i = scales.firstIndex(where: { $0 <= 0 }) {
            throw ValueChecks.invalid("scales[\(i)]", "\(scales[i]) is not a positive number")
        }
        try ValueChecks.finite(weights, "weights")
        try ValueChecks.finite(intercept, "intercept")
        self.init(means: means, scales: scales, weights: weights, intercept: intercept)
    }
}

extension ProbabilityCalibrator: BinaryCodable {
    private enum Tag: UInt8 {
        case identity = 0, platt = 1, isotonic = 2
    }

    /// Writes a tag, then the method's parameters.
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .none:
            writer.write(Tag.identity.rawValue)
        case let .platt(a, b):
            writer.write(Tag.platt.rawValue)
            writer.write(a)
            writer.write(b)
        case let .isotonic(thresholds, values):
            writer.write(Tag.isotonic.rawValue)
            writer.write(thresholds)
            writer.write(values)
        }
    }

    /// Reads a calibrator, refusing unknown tags and unordered isotonic thresholds.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        switch Tag(rawValue: raw) {
        case .identity: self = .none
        case .platt:
            let a = try reader.read(Double.self)
            let b = try reader.read(Double.self)
            try ValueChecks.finite(a, "platt.a")
            try ValueChecks.finite(b, "platt.b")
            self = .platt(a: a, b: b)
        case .isotonic:
            let xs = try reader.read([Double].self)
            let ys = try reader.read([Double].self)
            try ValueChecks.finite(xs, "isotonic.thresholds")
            for (i, y) in ys.enumerated() { try ValueChecks.within(y, 0...1, "isotonic.values[\(i)]") }
            guard xs.count == ys.count, zip(xs, xs.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw BundleError.malformed(
                    section: nil, offset: start, problem: "isotonic calibration with \(xs.count) unordered thresholds and \(ys.count) values")
            }
            self = .isotonic(thresholds: xs, values: ys)
        case nil:
            throw BundleError.malformed(section: nil, offset: start, problem: "unknown calibration tag \(raw)")
        }
    }
}
