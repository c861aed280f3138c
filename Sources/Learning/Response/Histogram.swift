import CKernels

/// Per-leaf gradient statistics: for every bin of every feature, the pair (sum of gradients,
/// sum of hessians) stored as two consecutive doubles at `2 * (histogramOffsets[f] + bin)`.
/// Rows are not counted: the split search estimates a side's rows from its hessian sum, as
/// LightGBM does, so a bin is one 16-byte add (`ck_histogram_sparse`, `ck_histogram_features`).
enum Histogram {
    /// Doubles a bin, in per-feature and in joint histograms: (gradient sum, hessian sum).
    static let binStride = 2

    /// Zeroes, then fills the histogram slots of `features` from `rows` (`ck_histogram_features`:
    /// each row's gradient pair read once and its code bytes walked in order, four rows at a time).
    static func build(
        into histogram: UnsafeMutablePointer<Double>,
        codes: UnsafePointer<UInt8>, featureCount p: Int,
        rows: UnsafeBufferPointer<Int32>,
        gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>,
        features: UnsafeBufferPointer<Int32>, offsets: UnsafePointer<Int>, valueBinCounts: UnsafePointer<Int>
    ) {
        guard let list = features.baseAddress, !features.isEmpty else { return }
        var bases = [Int](repeating: 0, count: features.count)
        var lengths = [Int](repeating: 0, count: features.count)
        for (j, feature) in features.enumerated() {
            bases[j] = binStride * offsets[Int(feature)]
            lengths[j] = binStride * (valueBinCounts[Int(feature)] + 1)
        }
        ck_histogram_features(histogram, codes, p, rows.baseAddress, rows.count, gradients, hessians, list, bases,
                              lengths, features.count)
    }

    /// Fills the joint histogram (group g's bins from `featureGroups.offsets[g]`) of the groups
    /// of `part` from `rows`, except each group's most frequent code, whose bin stays 0: zeroes
    /// the part's bins, then adds each row to the bins it lists. Returns the rows' gradient and
    /// hessian sums, which `marginalize` needs.
    static func buildJoint(
        into joint: UnsafeMutablePointer<Double>, part: JointCodePart, rows: UnsafeBufferPointer<Int32>,
        gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>
    ) -> SIMD2<Double> {
        let base = joint + binStride * part.firstBin
        base.update(repeating: 0, count: binStride * part.binCount)
        var totals = SIMD2<Double>(repeating: 0)
        part.bins.withUnsafeBufferPointer { bins in
            part.starts.withUnsafeBufferPointer { starts in
                withUnsafeMutableBytes(of: &totals) { totals in
                    ck_histogram_sparse(base, bins.baseAddress, starts.baseAddress, rows.baseAddress, rows.count,
                                        gradients, hessians, totals.baseAddress!.assumingMemoryBound(to: Double.self))
                }
            }
        }
        return totals
    }

    /// Sums the joint histograms of `groups` (built by `buildJoint` from rows of `totals`) down to
    /// the per-feature histogram of every member (of every member with `used[f]`, when given):
    /// member i's bin b gets the joint bins whose member code i is b, in ascending joint code,
    /// summed in a register before one store; the bin holding the group's most frequent code
    /// gets `totals` less the member's other bins.
    static func marginalize(
        _ joint: UnsafePointer<Double>, groups: UnsafeBufferPointer<Int32>, of featureGroups: FeatureGroups,
        totals: SIMD2<Double>, into histogram: UnsafeMutablePointer<Double>, offsets: UnsafePointer<Int>,
        valueBinCounts: UnsafePointer<Int>, used: UnsafePointer<Bool>? = nil
    ) {
        featureGroups.jointCodesByBin.withUnsafeBufferPointer { jointCodesByBin in
            featureGroups.binEnds.withUnsafeBufferPointer { binEnds in
                let binBytes = MemoryLayout<SIMD2<Double>>.stride
                for group in groups {
                    let g = Int(group)
                    let source = UnsafeRawPointer(joint + binStride * featureGroups.offsets[g])
                    for f32 in featureGroups.members[g] {
                        let f = Int(f32)
                        if let used, !used[f] { continue }
                        let target = histogram + binStride * offsets[f]
                        let codes = jointCodesByBin.baseAddress! + featureGroups.jointCodeRunStart[f]
                        let ends = binEnds.baseAddress! + offsets[f]
                        let skipped = featureGroups.mostFrequentBin[f]
                        var others = SIMD2<Double>(repeating: 0)
                        var k = 0
                        for b in 0...valueBinCounts[f] {
                            let end = Int(ends[b])
                            if b == skipped {
                                k = end
                                continue
                            }
                            var sum = SIMD2<Double>(repeating: 0)
                            while k < end {
                                sum += source.loadUnaligned(fromByteOffset: Int(codes[k]) &* binBytes,
                                                            as: SIMD2<Double>.self)
                                k += 1
                            }
                            others += sum
                            UnsafeMutableRawPointer(target + binStride * b).storeBytes(of: sum, as: SIMD2<Double>.self)
                        }
                        UnsafeMutableRawPointer(target + binStride * skipped).storeBytes(of: totals - others,
                                                                                          as: SIMD2<Double>.self)
                    }
                }
            }
        }
    }

    /// `parent -= child` over the slots of `features`: the parent histogram becomes the sibling's.
    static func subtract(
        _ child: UnsafePointer<Double>, from parent: UnsafeMutablePointer<Double>,
        features: UnsafeBufferPointer<Int32>, offsets: UnsafePointer<Int>, valueBinCounts: UnsafePointer<Int>
    ) {
        for j in 0..<features.count {
            let f = Int(features[j])
            let start = binStride * offsets[f]
            for s in start..<(start + binStride * (valueBinCounts[f] + 1)) { parent[s] -= child[s] }
        }
    }
}

/// Sums of one node's rows.
struct NodeTotals: Equatable {
    var gradient: Double
    var hessian: Double
    var count: Int

    static func - (a: NodeTotals, b: NodeTotals) -> NodeTotals {
        NodeTotals(gradient: a.gradient - b.gradient, hessian: a.hessian - b.hessian, count: a.count - b.count)
    }
}

/// The best way found to split one leaf.
struct SplitCandidate {
    var feature: Int
    /// Value bins `0...bin` go left.
    var bin: Int
    /// Whether missing values go left.
    var defaultLeft: Bool
    var gain: Double
    var left: NodeTotals
}

/// Constraints and penalty that decide whether a split is allowed and what it gains.
struct SplitRule {
    var minDataInLeaf: Int
    var minSumHessian: Double
    var lambda: Double
    var minGain: Double

    @inline(__always)
    func score(_ g: Double, _ h: Double) -> Double { g * g / (h + lambda) }

    /// Scans every bin threshold of every feature in `features`, trying missing values on
    /// either side; ties keep the first candidate (lowest feature, lowest bin, missing right).
    ///
    /// A side's rows, checked against `minDataInLeaf`, are estimated bin by bin from the
    /// hessians as LightGBM does (`cnt_factor`): a bin holds round(hessian sum × rows / hessian
    /// total) rows. The histograms then need no count lane; the leaves' real row counts come
    /// from the partition.
    func bestSplit(
        histogram: UnsafePointer<Double>, totals: NodeTotals,
        features: UnsafeBufferPointer<Int32>, offsets: UnsafePointer<Int>, valueBinCounts: UnsafePointer<Int>
    ) -> SplitCandidate? {
        guard totals.count >= 2 * minDataInLeaf else { return nil }
        let parentScore = score(totals.gradient, totals.hessian)
        let rows = Double(totals.count)
        let countFactor = totals.hessian > 0 ? rows / totals.hessian : 0
        @inline(__always) func estimatedRows(_ hessian: Double) -> Double { (hessian * countFactor + 0.5).rounded(.down) }
        let fewest = Double(minDataInLeaf)
        var best: SplitCandidate? = nil
        var bestGain = minGain
        for j in 0..<features.count {
            let f = Int(features[j])
            let base = histogram + Histogram.binStride * offsets[f]
            let bins = valueBinCounts[f]
            let missG = base[2 * bins]
            let missH = base[2 * bins + 1]
            let missC = estimatedRows(missH)
            var lg = 0.0
            var lh = 0.0
            var lc = 0.0
            for b in 0..<bins {
                lg += base[2 * b]
                lh += base[2 * b + 1]
                lc += estimatedRows(base[2 * b + 1])
                // Missing right (the only choice for the last bin: non-missing vs missing).
                if b < bins - 1 || missC > 0 {
                    let rc = rows - lc
                    let rh = totals.hessian - lh
                    if lc >= fewest && rc >= fewest && lh >= minSumHessian && rh >= minSumHessian {
                        let gain = score(lg, lh) + score(totals.gradient - lg, rh) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            best = SplitCandidate(feature: f, bin: b, defaultLeft: false, gain: gain,
                                                  left: NodeTotals(gradient: lg, hessian: lh, count: Int(lc)))
                        }
                    }
                }
                // Missing left.
                if missC > 0 && b < bins - 1 {
                    let mlc = lc + missC
                    let mlg = lg + missG
                    let mlh = lh + missH
                    let rc = rows - mlc
                    let rh = totals.hessian - mlh
                    if mlc >= fewest && rc >= fewest && mlh >= minSumHessian && rh >= minSumHessian {
                        let gain = score(mlg, mlh) + score(totals.gradient - mlg, rh) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            best = SplitCandidate(feature: f, bin: b, defaultLeft: true, gain: gain,
                                                  left: NodeTotals(gradient: mlg, hessian: mlh, count: Int(mlc)))
                        }
                    }
                }
            }
        }
        return best
    }
}
