import CKernels

/// Per-leaf gradient statistics: for every bin of every feature, the triple
/// (sum of gradients, sum of hessians, row count) stored as three consecutive doubles
/// at `3 * (histogramOffsets[f] + bin)`. Counts are doubles so that subtraction
/// (sibling = parent − built child) is one loop over one array.
enum Histogram {
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
            bases[j] = 3 * offsets[Int(feature)]
            lengths[j] = 3 * (valueBinCounts[Int(feature)] + 1)
        }
        ck_histogram_features(histogram, codes, p, rows.baseAddress, rows.count, gradients, hessians, list, bases,
                              lengths, features.count)
    }

    /// Doubles per bin of a joint histogram: (gradient, hessian, count, 0), so that a row's
    /// update is one 4-lane add (`ck_histogram_sparse`). `marginalize` reads a bin as 32 bytes.
    static let jointStride = 4

    /// Fills the joint histogram (`jointStride` doubles a bin, group g's bins from
    /// `featureGroups.offsets[g]`) of the groups of `part` from `rows`, except each group's most
    /// frequent code, whose bin stays 0: zeroes the part's bins, then adds each row to the bins it
    /// lists. Returns the rows' totals (gradient, hessian, count, 0), which `marginalize` needs.
    static func buildJoint(
        into joint: UnsafeMutablePointer<Double>, part: JointCodePart, rows: UnsafeBufferPointer<Int32>,
        gradients: UnsafePointer<Double>, hessians: UnsafePointer<Double>
    ) -> SIMD4<Double> {
        let base = joint + jointStride * part.firstBin
        base.update(repeating: 0, count: jointStride * part.binCount)
        var totals = SIMD4<Double>(repeating: 0)
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
        totals: SIMD4<Double>, into histogram: UnsafeMutablePointer<Double>, offsets: UnsafePointer<Int>,
        valueBinCounts: UnsafePointer<Int>, used: UnsafePointer<Bool>? = nil
    ) {
        featureGroups.jointCodesByBin.withUnsafeBufferPointer { jointCodesByBin in
            featureGroups.binEnds.withUnsafeBufferPointer { binEnds in
                for group in groups {
                    let g = Int(group)
                    let source = UnsafeRawPointer(joint + jointStride * featureGroups.offsets[g])
                    for f32 in featureGroups.members[g] {
                        let f = Int(f32)
                        if let used, !used[f] { continue }
                        let target = histogram + 3 * offsets[f]
                        let codes = jointCodesByBin.baseAddress! + featureGroups.jointCodeRunStart[f]
                        let ends = binEnds.baseAddress! + offsets[f]
                        let skipped = featureGroups.mostFrequentBin[f]
                        var others = SIMD4<Double>(repeating: 0)
                        var k = 0
                        for b in 0...valueBinCounts[f] {
                            let end = Int(ends[b])
                            if b == skipped {
                                k = end
                                continue
                            }
                            var sum = SIMD4<Double>(repeating: 0)
                            while k < end {
                                sum += source.loadUnaligned(fromByteOffset: Int(codes[k]) &* 32, as: SIMD4<Double>.self)
                                k += 1
                            }
                            others += sum
                            target[3 * b] = sum[0]
                            target[3 * b + 1] = sum[1]
                            target[3 * b + 2] = sum[2]
                        }
                        let rest = totals - others
                        target[3 * skipped] = rest[0]
                        target[3 * skipped + 1] = rest[1]
                        target[3 * skipped + 2] = rest[2]
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
            let start = 3 * offsets[f]
            for s in start..<(start + 3 * (valueBinCounts[f] + 1)) { parent[s] -= child[s] }
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
    func bestSplit(
        histogram: UnsafePointer<Double>, totals: NodeTotals,
        features: UnsafeBufferPointer<Int32>, offsets: UnsafePointer<Int>, valueBinCounts: UnsafePointer<Int>
    ) -> SplitCandidate? {
        guard totals.count >= 2 * minDataInLeaf else { return nil }
        let parentScore = score(totals.gradient, totals.hessian)
        var best: SplitCandidate? = nil
        var bestGain = minGain
        for j in 0..<features.count {
            let f = Int(features[j])
            let base = histogram + 3 * offsets[f]
            let bins = valueBinCounts[f]
            let missG = base[3 * bins]
            let missH = base[3 * bins + 1]
            let missC = Int(base[3 * bins + 2])
            var lg = 0.0
            var lh = 0.0
            var lc = 0
            for b in 0..<bins {
                lg += base[3 * b]
                lh += base[3 * b + 1]
                lc += Int(base[3 * b + 2])
                // Missing right (the only choice for the last bin: non-missing vs missing).
                if b < bins - 1 || missC > 0 {
                    let rc = totals.count - lc
                    let rh = totals.hessian - lh
                    if lc >= minDataInLeaf && rc >= minDataInLeaf && lh >= minSumHessian && rh >= minSumHessian {
                        let gain = score(lg, lh) + score(totals.gradient - lg, rh) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            best = SplitCandidate(feature: f, bin: b, defaultLeft: false, gain: gain,
                                                  left: NodeTotals(gradient: lg, hessian: lh, count: lc))
                        }
                    }
                }
                // Missing left.
                if missC > 0 && b < bins - 1 {
                    let mlc = lc + missC
                    let mlg = lg + missG
                    let mlh = lh + missH
                    let rc = totals.count - mlc
                    let rh = totals.hessian - mlh
                    if mlc >= minDataInLeaf && rc >= minDataInLeaf && mlh >= minSumHessian && rh >= minSumHessian {
                        let gain = score(mlg, mlh) + score(totals.gradient - mlg, rh) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            best = SplitCandidate(feature: f, bin: b, defaultLeft: true, gain: gain,
                                                  left: NodeTotals(gradient: mlg, hessian: mlh, count: mlc))
                        }
                    }
                }
            }
        }
        return best
    }
}
