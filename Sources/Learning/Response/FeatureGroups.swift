import Concurrency

/// Features with few bins packed into groups whose joint code (one bin per combination of the
/// members' codes, missing bins included) fits a byte, so that one histogram update per row
/// covers a whole group: a group's joint histogram is then summed down to each member's
/// histogram (`Histogram.marginalize`), which costs the joint bins, not the rows.
///
/// Most mail-out features have at most a dozen values; packed in twos and threes, a
/// histogram build over a large leaf makes about half the updates. LightGBM bundles features
/// too (exclusive feature bundling), but only features that are never non-zero together; a
/// joint code has no such condition and costs its product of bins instead.
struct FeatureGroups: Sendable {
    /// Most joint bins per group: small enough that the joint histograms of all groups stay
    /// a few times the size of the per-feature one (they are written all over on every row).
    static let maxJointBins = 256

    /// Features of each group, ascending; feature `members[g][i]`'s code is digit i of the
    /// joint code in the mixed radix of the members' bin counts (missing bin included).
    let members: [[Int32]]
    /// Where each group's joint bins start in a joint histogram.
    let offsets: [Int]
    /// Each group's highest joint code (joint bins − 1).
    let highestCode: [Int]
    /// Joint bins over all groups.
    let totalBins: Int
    /// The group of each feature.
    let groupOf: [Int32]
    /// Joint codes, row-major: `codes[row * count + group]`.
    let codes: [UInt8]

    var count: Int { members.count }

    /// Groups the features of `codes` (row-major, `featureCount` a row), taking them by
    /// ascending bin count and closing a group when the next feature would pass `maxJointBins`.
    init(codes: [UInt8], rows: Int, featureCount p: Int, valueBinCounts: [Int], maxJointBins: Int = FeatureGroups.maxJointBins) {
        let order = (0..<p).sorted { (valueBinCounts[$0], $0) < (valueBinCounts[$1], $1) }
        var members: [[Int32]] = []
        var current: [Int32] = []
        var product = 1
        for f in order {
            let bins = valueBinCounts[f] + 1
            if !current.isEmpty && product * bins > maxJointBins {
                members.append(current.sorted())
                current = []
                product = 1
            }
            current.append(Int32(f))
            product *= bins
        }
        if !current.isEmpty { members.append(current.sorted()) }

        var offsets: [Int] = []
        var highestCode: [Int] = []
        var groupOf = [Int32](repeating: 0, count: p)
        var total = 0
        for (g, group) in members.enumerated() {
            let bins = group.reduce(1) { $0 * (valueBinCounts[Int($1)] + 1) }
            offsets.append(total)
            highestCode.append(bins - 1)
            total += bins
            for f in group { groupOf[Int(f)] = Int32(g) }
        }
        self.members = members
        self.offsets = offsets
        self.highestCode = highestCode
        self.totalBins = total
        self.groupOf = groupOf
        self.codes = Self.jointCodes(codes, rows: rows, featureCount: p, members: members, valueBinCounts: valueBinCounts)
    }

    private static func jointCodes(_ codes: [UInt8], rows n: Int, featureCount p: Int, members: [[Int32]],
                                   valueBinCounts: [Int]) -> [UInt8] {
        // Flattened members and their radix weights, so the row loop reads two arrays.
        let flatFeatures = members.flatMap { $0 }.map { Int($0) }
        var weights: [Int] = []
        var groupEnds: [Int] = []
        for group in members {
            var weight = 1
            for f in group {
                weights.append(weight)
                weight *= valueBinCounts[Int(f)] + 1
            }
            groupEnds.append(weights.count)
        }
        let (flatWeights, ends) = (weights, groupEnds)
        let width = members.count
        var joint = [UInt8](repeating: 0, count: n * width)
        codes.withUnsafeBufferPointer { source in
            joint.withUnsafeMutableBufferPointer { out in
                let input = SendableBuffer(source)
                let target = SendableMutableBuffer(out)
                _ = Parallel.map(count: n, minimumChunk: 1024) { _, rows in
                    for r in rows {
                        let row = input.buffer.baseAddress! + r * p
                        var k = 0
                        for g in 0..<width {
                            var code = 0
                            while k < ends[g] {
                                code += Int(row[flatFeatures[k]]) * flatWeights[k]
                                k += 1
                            }
                            target.buffer[r * width + g] = UInt8(code)
                        }
                    }
                    return 0
                }
            }
        }
        return joint
    }

    /// The groups holding at least one of `features`, ascending.
    func groups(of features: UnsafeBufferPointer<Int32>) -> [Int32] {
        var seen = [Bool](repeating: false, count: count)
        for f in features { seen[Int(groupOf[Int(f)])] = true }
        return (0..<count).filter { seen[$0] }.map { Int32($0) }
    }
}
