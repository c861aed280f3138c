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
///
/// A row's joint codes are kept sparse: only the groups where the row does not have the group's
/// most frequent code are listed (`parts`), and summing down fills each member's bin that holds
/// that code with the leaf's totals less the member's other bins (LightGBM skips a feature's most
/// frequent bin the same way). On the mail-out rows the most frequent codes (mostly "every member
/// unknown") are 22.5 % of the codes.
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
    /// Each group's most frequent joint code (the lowest of equally frequent ones): the code
    /// `parts` leave out.
    let mostFrequentCode: [Int]
    /// Each feature's code in its group's most frequent joint code: the bin summing down fills
    /// last, from the totals.
    let mostFrequentBin: [Int]
    /// The rows' joint codes, sparse, in parts of consecutive groups (two when the bins allow,
    /// one for each of two histogram workers; more when two would span more than 16-bit bins).
    let parts: [JointCodePart]
    /// Codes `parts` list a row, on average.
    let listedPerRow: Double
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
        // Sparse codes: each group's rows with its most frequent code are left out.
        var listed: [Int] = []
        var mostFrequentCode: [Int] = []
        for group in groups {
            var tally = [Int](repeating: 0, count: group.combinations.count)
            for code in group.rowCodes { tally[Int(code)] += 1 }
            let top = tally.indices.max { (tally[$0], -$0) < (tally[$1], -$1) }!
            mostFrequentCode.append(top)
            listed.append(n - tally[top])
        }
        self.mostFrequentCode = mostFrequentCode
        var mostFrequentBin = [Int](repeating: 0, count: p)
        for (g, group) in groups.enumerated() {
            for (i, f) in group.members.enumerated() { mostFrequentBin[Int(f)] = Int(group.combinations[mostFrequentCode[g]][i]) }
        }
        self.mostFrequentBin = mostFrequentBin
        self.listedPerRow = n > 0 ? Double(listed.reduce(0, +)) / Double(n) : 0
        self.parts = Self.partRanges(listed: listed, bins: groups.map(\.combinations.count)).map { range in
            JointCodePart(groups: range, columns: groups[range].map(\.rowCodes), offsets: Array(offsets[range]),
                          binCounts: range.map { highestCode[$0] + 1 }, mostFrequentCode: Array(mostFrequentCode[range]),
                          listed: listed[range].reduce(0, +), rows: n)
        }
    }

    /// Consecutive group ranges of about equal listed codes: two, cut further where one would
    /// span more than `JointCodePart.maxBins` joint bins.
    private static func partRanges(listed: [Int], bins: [Int]) -> [Range<Int>] {
        let half = (listed.reduce(0, +) + 1) / 2
        var ranges: [Range<Int>] = []
        var start = 0
        var listedSoFar = 0
        var binsSoFar = 0
        var halfCut = false
        for g in bins.indices {
            let overHalf = !halfCut && listedSoFar >= half && g > start
            if binsSoFar + bins[g] > JointCodePart.maxBins || overHalf {
                ranges.append(start..<g)
                halfCut = halfCut || overHalf
                start = g
                binsSoFar = 0
            }
            listedSoFar += listed[g]
            binsSoFar += bins[g]
        }
        if start < bins.count || ranges.isEmpty { ranges.append(start..<bins.count) }
        return ranges
    }

    /// Group g's joint code in row r, read back from the sparse codes.
    func jointCode(row r: Int, group g: Int) -> Int {
        let part = parts.first { $0.groups.contains(g) }!
        let first = offsets[g] - part.firstBin
        for k in Int(part.starts[r])..<Int(part.starts[r + 1]) {
            let bin = Int(part.bins[k])
            if bin >= first && bin <= first + highestCode[g] { return bin - first }
        }
        return mostFrequentCode[g]
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

/// The joint codes of consecutive groups for every row, sparse: row r lists the joint bins
/// (counted from the part's first) of the groups where its code is not the most frequent one,
/// ascending, so a build adds the row to exactly those bins (`ck_histogram_sparse`).
struct JointCodePart: Sendable {
    /// Joint bins a part may span: its bins are numbered in 16 bits.
    static let maxBins = 1 << 16

    /// The part's groups.
    let groups: Range<Int>
    /// Where its bins start in a joint histogram, and how many there are.
    let firstBin: Int
    let binCount: Int
    /// Row r's bins are `bins[starts[r]..<starts[r + 1]]`.
    let bins: [UInt16]
    let starts: [Int64]

    /// `columns` holds each group's codes by row, `offsets` and `binCounts` where its bins start
    /// in a joint histogram and how many it has; `listed` is how many of the codes are not their
    /// group's most frequent one.
    fileprivate init(groups: Range<Int>, columns: [[UInt8]], offsets: [Int], binCounts: [Int], mostFrequentCode: [Int],
                     listed: Int, rows n: Int) {
        self.groups = groups
        let firstBin = offsets.first ?? 0
        self.firstBin = firstBin
        binCount = binCounts.reduce(0, +)
        let width = columns.count
        // The part's codes column after column, and each group's first bin and skipped code.
        let flat = [UInt8](filling: width * n) { flat, written in
            for (j, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { (flat.baseAddress! + j * n).update(from: $0.baseAddress!, count: n) }
            }
            written = width * n
        }
        let first = offsets.map { $0 - firstBin }
        var starts = [Int64](repeating: 0, count: n + 1)
        // One slot more than the codes listed: every code is written, and the cursor moves past
        // the ones that count.
        bins = flat.withUnsafeBufferPointer { flat in
            first.withUnsafeBufferPointer { first in
                mostFrequentCode.withUnsafeBufferPointer { skipped in
                    starts.withUnsafeMutableBufferPointer { starts in
                        [UInt16](filling: listed + 1) { bins, written in
                            var cursor = 0
                            for r in 0..<n {
                                var column = flat.baseAddress! + r
                                for j in 0..<width {
                                    let code = Int(column.pointee)
                                    bins[cursor] = UInt16(truncatingIfNeeded: first[j] &+ code)
                                    cursor &+= code == skipped[j] ? 0 : 1
                                    column += n
                                }
                                starts[r + 1] = Int64(cursor)
                            }
                            written = cursor
                        }
                    }
                }
            }
        }
        self.starts = starts
    }
}
