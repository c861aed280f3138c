import CKernels
import Concurrency
import ModelFormat

/// Grows one tree best-first (always splitting the leaf whose best split gains most) over
/// a bag of rows, keeping each leaf's rows as a contiguous range of one index buffer and
/// building only the smaller child's histogram: the sibling's is parent − smaller.
///
/// Owns its buffers for a whole fit, so growing a tree allocates nothing large.
final class TreeGrower {
    private let codes: UnsafePointer<UInt8>
    /// The codes column-major (`columns[feature * rowCount + row]`), for partitions.
    private let columns: UnsafePointer<UInt8>
    private let rowCount: Int
    private let featureCount: Int
    private let offsets: UnsafePointer<Int>
    private let valueBinCounts: UnsafePointer<Int>
    private let rule: SplitRule
    private let numLeaves: Int
    private let maxDepth: Int
    private let threads: Int
    /// When set, the histogram workers are decided per build from the folds running now.
    private let coreShare: CoreShare?
    /// Builds of fewer updates than this run on the calling thread (`TreeGrower.parallelUpdates`).
    private let parallelUpdates: Int
    private let histograms: [UnsafeMutablePointer<Double>]
    /// The features' joint codes, and a joint histogram a build fills before summing it down.
    private let groups: FeatureGroups
    private let jointHistogram: UnsafeMutablePointer<Double>
    /// This tree's groups (those holding a feature it may use), ascending, where each part's
    /// start in them, and their joint bins × (members + 1): the cost of summing down their joint
    /// histograms.
    private var treeGroups: [Int32] = []
    private var treeGroupsByPart: [Range<Int>] = []
    private var treeGroupWork = 0
    /// Whether this tree may use each feature: summing down skips the members it may not.
    private let treeFeatures: UnsafeMutablePointer<Bool>
    private var freeHistograms: [Int] = []
    /// Row indices of the bag, permuted so each leaf's rows are contiguous.
    let rows: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<Int32>

    struct Leaf {
        var begin: Int
        var end: Int
        var totals: NodeTotals
        var depth: Int
        var histogram: Int = -1
        var split: SplitCandidate? = nil
        /// Node whose child this leaf is (-1 for the root) and on which side.
        var parent: Int = -1
        var isLeft: Bool = false
    }

    /// After `grow`, the leaves of the tree (leaf i owns `rows[leaves[i].begin..<leaves[i].end]`).
    private(set) var leaves: [Leaf] = []

    /// `codes`, `columns`, `offsets` and `valueBinCounts` must outlive the grower.
    init(codes: UnsafePointer<UInt8>, columns: UnsafePointer<UInt8>, rows rowCount: Int, featureCount: Int, offsets: UnsafePointer<Int>,
         valueBinCounts: UnsafePointer<Int>, totalBins: Int, groups: FeatureGroups, maxRows: Int,
         parameters: BoosterParameters, coreShare: CoreShare? = nil, parallelUpdates: Int = TreeGrower.parallelUpdates) {
        self.parallelUpdates = parallelUpdates
        self.codes = codes
        self.columns = columns
        self.rowCount = rowCount
        self.featureCount = featureCount
        self.offsets = offsets
        self.valueBinCounts = valueBinCounts
        self.rule = SplitRule(minDataInLeaf: parameters.minDataInLeaf,
                              minSumHessian: parameters.minSumHessianInLeaf,
                              lambda: parameters.lambdaL2, minGain: parameters.minGainToSplit)
        self.numLeaves = parameters.numLeaves
        self.maxDepth = parameters.maxDepth
        self.threads = parameters.numThreads
        self.coreShare = coreShare
        let histogramSize = Histogram.binStride * max(1, totalBins)
        histograms = (0..<parameters.numLeaves).map { _ in
            let h = UnsafeMutablePointer<Double>.allocate(capacity: histogramSize)
            h.initialize(repeating: 0, count: histogramSize)
            return h
        }
        self.groups = groups
        // On cache lines, like the bins it is written through.
        let jointCount = max(1, Histogram.binStride * groups.totalBins)
        jointHistogram = UnsafeMutableRawPointer.allocate(byteCount: jointCount * MemoryLayout<Double>.stride, alignment: 64)
            .bindMemory(to: Double.self, capacity: jointCount)
        treeFeatures = .allocate(capacity: max(1, featureCount))
        treeFeatures.initialize(repeating: false, count: max(1, featureCount))
        rows = .allocate(capacity: max(1, maxRows))
        scratch = .allocate(capacity: max(1, maxRows))
    }

    deinit {
        for h in histograms { h.deallocate() }
        UnsafeMutableRawPointer(jointHistogram).deallocate()
        treeFeatures.deallocate()
        rows.deallocate()
        scratch.deallocate()
    }

    private func canSplit(_ leaf: Leaf) -> Bool {
        leaf.end - leaf.begin >= 2 * rule.minDataInLeaf && (maxDepth < 0 || leaf.depth < maxDepth)
    }

    /// Grows a tree on `bag` (row indices) using only `features`; leaf values are left empty.
    func grow(bag: UnsafeBufferPointer<Int32>, features: UnsafeBufferPointer<Int32>,
              gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>) -> BinnedTree {
        var tree = BinnedTree()
        freeHistograms = Array((0..<numLeaves).reversed())
        treeGroups = groups.groups(of: features)
        treeGroupsByPart = groups.parts.map { part in
            let start = treeGroups.firstIndex { Int($0) >= part.groups.lowerBound } ?? treeGroups.count
            let end = treeGroups.firstIndex { Int($0) >= part.groups.upperBound } ?? treeGroups.count
            return start..<end
        }
        treeFeatures.update(repeating: false, count: featureCount)
        for f in features { treeFeatures[Int(f)] = true }
        treeGroupWork = treeGroups.reduce(0) { $0 + (groups.highestCode[Int($1)] + 1) * (groups.members[Int($1)].count + 1) }
        var totals = NodeTotals(gradient: 0, hessian: 0, count: bag.count)
        for k in 0..<bag.count {
            let r = Int(bag[k])
            rows[k] = bag[k]
            totals.gradient += gradients[r]
            totals.hessian += hessians[r]
        }
        var root = Leaf(begin: 0, end: bag.count, totals: totals, depth: 0)
        if canSplit(root) {
            root.histogram = freeHistograms.removeLast()
            buildHistogram(root.histogram, rows: 0..<bag.count, features: features,
                           gradients: gradients, hessians: hessians)
            attachBestSplit(&root, features: features)
        }
        leaves = [root]
        while leaves.count < numLeaves {
            var chosen = -1
            var bestGain = -Double.infinity
            for (i, leaf) in leaves.enumerated() {
                if let split = leaf.split, split.gain > bestGain {
                    bestGain = split.gain
                    chosen = i
                }
            }
            if chosen < 0 { break }
            split(chosen, tree: &tree, features: features, gradients: gradients, hessians: hessians)
        }
        tree.leafCount = leaves.map { Int32($0.end - $0.begin) }
        tree.leafWeight = leaves.map(\.totals.hessian)
        return tree
    }

    private func split(_ index: Int, tree: inout BinnedTree, features: UnsafeBufferPointer<Int32>,
                       gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>) {
        let leaf = leaves[index]
        let s = leaf.split!
        let leftCount = partition(leaf.begin..<leaf.end, on: s)

        let node = tree.feature.count
        tree.feature.append(Int32(s.feature))
        tree.bin.append(UInt8(s.bin))
        tree.defaultLeft.append(s.defaultLeft)
        tree.left.append(~Int32(index))
        tree.right.append(~Int32(leaves.count))
        tree.gain.append(s.gain)
        tree.nodeCount.append(Int32(leaf.end - leaf.begin))
        tree.nodeWeight.append(leaf.totals.hessian)
        if leaf.parent >= 0 {
            if leaf.isLeft { tree.left[leaf.parent] = Int32(node) } else { tree.right[leaf.parent] = Int32(node) }
        }

        var left = Leaf(begin: leaf.begin, end: leaf.begin + leftCount, totals: s.left,
                        depth: leaf.depth + 1, parent: node, isLeft: true)
        var right = Leaf(begin: leaf.begin + leftCount, end: leaf.end, totals: leaf.totals - s.left,
                         depth: leaf.depth + 1, parent: node, isLeft: false)
        left.totals.count = leftCount
        right.totals.count = leaf.end - leaf.begin - leftCount

        let parentHistogram = leaf.histogram
        let needLeft = canSplit(left)
        let needRight = canSplit(right)
        if leaves.count + 1 >= numLeaves || (!needLeft && !needRight) {
            freeHistograms.append(parentHistogram)
        } else {
            let smallerIsLeft = left.end - left.begin <= right.end - right.begin
            let built = freeHistograms.removeLast()
            let smallRange = smallerIsLeft ? left.begin..<left.end : right.begin..<right.end
            buildHistogram(built, rows: smallRange, features: features, gradients: gradients, hessians: hessians)
            Histogram.subtract(histograms[built], from: histograms[parentHistogram], features: features,
                               offsets: offsets, valueBinCounts: valueBinCounts)
            left.histogram = smallerIsLeft ? built : parentHistogram
            right.histogram = smallerIsLeft ? parentHistogram : built
            if needLeft { attachBestSplit(&left, features: features) } else { release(&left) }
            if needRight { attachBestSplit(&right, features: features) } else { release(&right) }
        }
        leaves[index] = left
        leaves.append(right)
    }

    private func release(_ leaf: inout Leaf) {
        if leaf.histogram >= 0 { freeHistograms.append(leaf.histogram) }
        leaf.histogram = -1
    }

    private func attachBestSplit(_ leaf: inout Leaf, features: UnsafeBufferPointer<Int32>) {
        leaf.split = rule.bestSplit(histogram: histograms[leaf.histogram], totals: leaf.totals,
                                    features: features, offsets: offsets, valueBinCounts: valueBinCounts)
        if leaf.split == nil { release(&leaf) }
    }

    /// Stable partition of `range` of `rows`: rows going left first. Returns how many go left.
    private func partition(_ range: Range<Int>, on s: SplitCandidate) -> Int {
        let column = columns + s.feature * rowCount
        return BinnedTree.partition(rows + range.lowerBound, count: range.count, bin: s.bin,
                                    missingCode: valueBinCounts[s.feature], defaultLeft: s.defaultLeft,
                                    scratch: scratch) { Int(column[Int($0)]) }
    }

    /// Fewest histogram updates (rows × columns) worth sharing between workers, about 80 µs:
    /// below that, waking a worker costs more CPU than it saves.
    static let parallelUpdates = 100_000

    /// Fills histogram `index` over `range` of `rows`: per feature, or for a leaf with enough
    /// rows through the groups' sparse joint codes (one update per listed code, then summed
    /// down), which ever makes less work. The choice depends on the leaf alone, never on the
    /// threads.
    private func buildHistogram(_ index: Int, rows range: Range<Int>, features: UnsafeBufferPointer<Int32>,
                                gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>) {
        let slice = UnsafeBufferPointer(start: rows + range.lowerBound, count: range.count)
        let jointUpdates = Int((Double(range.count) * groups.listedPerRow).rounded(.up))
        let grouped = jointUpdates + treeGroupWork < range.count * features.count
        let threads = coreShare?.threadsPerFold ?? self.threads
        treeGroups.withUnsafeBufferPointer { treeGroups in
            // Workers take whole parts (or disjoint feature ranges), so the sums are the same for
            // any thread count.
            let job = HistogramJob(
                target: histograms[index], codes: codes, featureCount: featureCount, rows: slice,
                gradients: gradients, hessians: hessians, features: features, offsets: offsets,
                valueBinCounts: valueBinCounts, groups: groups, treeGroups: treeGroups,
                treeGroupsByPart: treeGroupsByPart, joint: jointHistogram, used: treeFeatures)
            let columns = grouped ? groups.parts.count : features.count
            let updates = grouped ? jointUpdates : range.count * columns
            if threads <= 1 || columns < 2 || updates < parallelUpdates {
                job.build(grouped: grouped, columns: 0..<columns)
            } else {
                _ = Parallel.map(count: columns, workers: threads, minimumChunk: grouped ? 1 : 8) { _, chunk in
                    job.build(grouped: grouped, columns: chunk)
                    return 0
                }
            }
        }
    }
}

/// Pointers a histogram build shares with its workers; workers write disjoint feature slots.
private struct HistogramJob: @unchecked Sendable {
    let target: UnsafeMutablePointer<Double>
    let codes: UnsafePointer<UInt8>
    let featureCount: Int
    let rows: UnsafeBufferPointer<Int32>
    let gradients: UnsafePointer<Double>
    let hessians: UnsafePointer<Double>
    let features: UnsafeBufferPointer<Int32>
    let offsets: UnsafePointer<Int>
    let valueBinCounts: UnsafePointer<Int>
    let groups: FeatureGroups
    let treeGroups: UnsafeBufferPointer<Int32>
    let treeGroupsByPart: [Range<Int>]
    let joint: UnsafeMutablePointer<Double>
    let used: UnsafePointer<Bool>

    /// The histogram slots of `features[columns]`, or of every member of the tree's groups in
    /// `groups.parts[columns]`.
    func build(grouped: Bool, columns: Range<Int>) {
        if grouped {
            for p in columns {
                let list = UnsafeBufferPointer(rebasing: treeGroups[treeGroupsByPart[p]])
                let totals = Histogram.buildJoint(into: joint, part: groups.parts[p], rows: rows, gradients: gradients,
                                                  hessians: hessians)
                Histogram.marginalize(joint, groups: list, of: groups, totals: totals, into: target, offsets: offsets,
                                      valueBinCounts: valueBinCounts, used: used)
            }
        } else {
            Histogram.build(into: target, codes: codes, featureCount: featureCount, rows: rows,
                            gradients: gradients, hessians: hessians,
                            features: UnsafeBufferPointer(rebasing: features[columns]),
                            offsets: offsets, valueBinCounts: valueBinCounts)
        }
    }
}
