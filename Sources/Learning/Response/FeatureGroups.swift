import Concurrency

/// Features with few bins packed into groups whose joint code (one code per combination of the
/// members' codes that occurs, missing bins included) fits a byte, so that one histogram update
/// per row covers a whole group: a group's joint histogram is then summed down to each member's
/// histogram (`Histogram.marginalize`), which costs the joint bins, not the rows.
///
/// Most mail-out features have at most a dozen values, and many are coarser or finer codings of
/// one another: a group takes features while the combinations that occur stay within 256, not
/// while the product of the bin counts does. On the mail-out matrices that is 138 groups with
/// 16 751 joint bins instead of 165 with 22 997 (and 435 per-feature updates a row without
/// groups). LightGBM bundles features too (exclusive feature bundling), but only features that
/// are never non-zero together.
struct FeatureGroups: Sendable {
    /// Most joint codes per group: small enough that the joint histograms of all groups stay
    /// a few times the size of the per-feature one (they are written all over on every row).
    static let maxJointBins = 256

    /// Features of each group, ascending.
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
    /// For summing down, per feature f: its group's joint codes ordered by f's code (then
    /// ascending), from `jointCodesByBin[jointCodeRunStart[f]]`. Joint codes rank the combinations
    /// that occur in the members' mixed radix (first member lowest), so with every combination
    /// present a joint code spells the members' codes as digits.
    let jointCodesByBin: [UInt8]
    let jointCodeRunStart: [Int]
    /// Where the joint codes of f's bin b end in f's run, at f's histogram slot
    /// `histogramOffsets[f] + b` (the layout of a per-feature histogram).
    let binEnds: [Int32]

    var count: Int { members.count }

    /// Groups the features of `columns` (column-major, `rows` a feature), taking them by
    /// ascending bin count and closing a group when the next feature would make more than
    /// `maxJointBins` combinations occur.
    init(columns: [UInt8], rows n: Int, featureCount p: Int, valueBinCounts: [Int], histogramOffsets: [Int],
         maxJointBins: Int = FeatureGroups.maxJointBins) {
        let order = (0..<p).sorted { (valueBinCounts[$0], $0) < (valueBinCounts[$1], $1) }
        var groups: [ObservedGroup] = []
        columns.withUnsafeBufferPointer { columns in
            var current: ObservedGroup? = nil
            for f in order {
                let column = UnsafeBufferPointer(rebasing: columns[(f * n)..<((f + 1) * n)])
                let bins = valueBinCounts[f] + 1
                if let open = current, let widened = open.adding(Int32(f), column: column, bins: bins, limit: maxJointBins) {
                    current = widened
                } else {
                    if let open = current { groups.append(open) }
                    current = ObservedGroup(Int32(f), column: column, bins: bins)
                }
            }
            if let open = current { groups.append(open) }
        }
        // Canonical form: members ascending, joint codes ranked in the members' mixed radix.
        groups = groups.map { $0.canonical() }

        var offsets: [Int] = []
        var highestCode: [Int] = []
        var groupOf = [Int32](repeating: 0, count: p)
        var jointCodesByBin: [UInt8] = []
        var jointCodeRunStart = [Int](repeating: 0, count: p)
        var binEnds = [Int32](repeating: 0, count: histogramOffsets.last.map { $0 + valueBinCounts[p - 1] + 1 } ?? 0)
        var total = 0
        for (g, group) in groups.enumerated() {
            let bins = group.combinations.count
            offsets.append(total)
            highestCode.append(bins - 1)
            total += bins
            for (i, f) in group.members.map({ Int($0) }).enumerated() {
                groupOf[f] = Int32(g)
                let codes = group.combinations.map { $0[i] }
                // Joint codes by this member's code, ascending within a code (a stable sort).
                jointCodeRunStart[f] = jointCodesByBin.count
                jointCodesByBin += (0..<bins).sorted { (codes[$0], $0) < (codes[$1], $1) }.map { UInt8($0) }
                for code in codes { binEnds[histogramOffsets[f] + Int(code)] += 1 }
                var end: Int32 = 0
                for slot in histogramOffsets[f]...(histogramOffsets[f] + valueBinCounts[f]) {
                    end += binEnds[slot]
                    binEnds[slot] = end
                }
            }
        }
        self.members = groups.map(\.members)
        self.offsets = offsets
        self.highestCode = highestCode
        self.totalBins = total
        self.groupOf = groupOf
        self.jointCodesByBin = jointCodesByBin
        self.jointCodeRunStart = jointCodeRunStart
        self.binEnds = binEnds
        // Row-major joint codes: a histogram build reads one row's codes of all groups together.
        let width = groups.count
        self.codes = [UInt8](filling: n * width) { joint, written in
            for (g, group) in groups.enumerated() {
                group.rowCodes.withUnsafeBufferPointer { column in
                    for r in 0..<n { joint[r &* width &+ g] = column[r] }
                }
            }
            written = n * width
        }
    }

    /// Feature f's code in joint code t of its group (read back from the summing-down tables;
    /// `histogramOffsets` as given to `init`).
    func code(of f: Int, joint t: Int, histogramOffsets: [Int]) -> UInt8 {
        let run = jointCodeRunStart[f]
        let position = (0...highestCode[Int(groupOf[f])]).first { jointCodesByBin[run + $0] == t }!
        var b = 0
        while Int(binEnds[histogramOffsets[f] + b]) <= position { b += 1 }
        return UInt8(b)
    }

    /// The groups holding at least one of `features`, ascending.
    func groups(of features: UnsafeBufferPointer<Int32>) -> [Int32] {
        var seen = [Bool](repeating: false, count: count)
        for f in features { seen[Int(groupOf[Int(f)])] = true }
        return (0..<count).filter { seen[$0] }.map { Int32($0) }
    }
}

/// A group being formed: its members in the order they joined, each row's joint code (codes in
/// order of first occurrence until `canonical`), and the members' codes of every joint code.
private struct ObservedGroup {
    var members: [Int32]
    var rowCodes: [UInt8]
    var combinations: [[UInt8]]

    init(_ feature: Int32, column: UnsafeBufferPointer<UInt8>, bins: Int) {
        members = [feature]
        rowCodes = Array(column)
        combinations = (0..<bins).map { [UInt8($0)] }
    }

    /// The group with `feature` added, or nil when more than `limit` combinations would occur.
    func adding(_ feature: Int32, column: UnsafeBufferPointer<UInt8>, bins: Int, limit: Int) -> ObservedGroup? {
        // Pair (joint code, feature code) -> new joint code, numbered as the pairs first occur.
        var pairCode = [Int16](repeating: -1, count: combinations.count * bins)
        var combined: [[UInt8]] = []
        var tooMany = false
        let codes = rowCodes.withUnsafeBufferPointer { rowCodes in
            pairCode.withUnsafeMutableBufferPointer { pairCode in
                [UInt8](filling: rowCodes.count) { codes, written in
                    for r in 0..<rowCodes.count {
                        let pair = Int(rowCodes[r]) &* bins &+ Int(column[r])
                        var code = pairCode[pair]
                        if code < 0 {
                            if combined.count == limit {
                                tooMany = true
                                break
                            }
                            code = Int16(combined.count)
                            pairCode[pair] = code
                            combined.append(combinations[Int(rowCodes[r])] + [column[r]])
                        }
                        codes[r] = UInt8(truncatingIfNeeded: code)
                    }
                    written = tooMany ? 0 : rowCodes.count
                }
            }
        }
        if tooMany { return nil }
        return ObservedGroup(members: members + [feature], rowCodes: codes, combinations: combined)
    }

    private init(members: [Int32], rowCodes: [UInt8], combinations: [[UInt8]]) {
        self.members = members
        self.rowCodes = rowCodes
        self.combinations = combinations
    }

    /// Members ascending and joint codes ranked by the members' mixed-radix value (first member
    /// the lowest digit), so that the codes do not depend on the order of the rows.
    func canonical() -> ObservedGroup {
        let order = members.indices.sorted { members[$0] < members[$1] }
        let sortedMembers = order.map { members[$0] }
        let reordered = combinations.map { combination in order.map { combination[$0] } }
        // The last member is the most significant digit (compared digit by digit: a group of
        // many two-bin features has more combinations than an Int counts, though few occur).
        let ranked = reordered.indices.sorted {
            reordered[$0].reversed().lexicographicallyPrecedes(reordered[$1].reversed())
        }
        var rank = [UInt8](repeating: 0, count: ranked.count)
        for (newCode, oldCode) in ranked.enumerated() { rank[oldCode] = UInt8(newCode) }
        return ObservedGroup(members: sortedMembers, rowCodes: rowCodes.map { rank[Int($0)] },
                             combinations: ranked.map { reordered[$0] })
    }
}
