import Numerics

/// A ``ReferenceDistribution`` laid out for counting: every attribute's codes or edges in one
/// flat array, so binning a value is one binary search over a handful of doubles.
///
/// Attribute `a` owns the counters `binStart[a] ..< binStart[a + 1]`: its value bins, then
/// "other"/"above", then "missing".
public final class DriftLayout: Sendable {
    /// The distribution the counts are compared with.
    public let reference: ReferenceDistribution
    private let values: [Double]
    private let valueStart: [Int]
    private let isCodes: [Bool]
    /// Where each attribute's counters start; one more entry than attributes.
    public let binStart: [Int]

    /// Lays out `reference`'s bins; build it once per bundle and share it.
    public init(_ reference: ReferenceDistribution) {
        self.reference = reference
        var values: [Double] = []
        var valueStart = [0]
        var binStart = [0]
        var isCodes: [Bool] = []
        for attribute in reference.attributes {
            values += attribute.binning.values
            valueStart.append(values.count)
            binStart.append(binStart.last! + attribute.binning.binCount)
            if case .codes = attribute.binning { isCodes.append(true) } else { isCodes.append(false) }
        }
        self.values = values
        self.valueStart = valueStart
        self.isCodes = isCodes
        self.binStart = binStart
        var plans: [Plan] = []
        var direct: [Int32] = []
        for (a, attribute) in reference.attributes.enumerated() {
            var plan = Plan(
                valueStart: valueStart[a], valueCount: valueStart[a + 1] - valueStart[a], binStart: binStart[a],
                isCodes: isCodes[a])
            if case .codes(let codes) = attribute.binning, let low = codes.first, let high = codes.last,
                codes.allSatisfy({ $0 == $0.rounded() }), high - low < Double(Self.directSpan)
            {
                let span = Int(high - low) + 1
                var table = [Int32](repeating: Int32(codes.count), count: span)
                for (j, code) in codes.enumerated() { table[Int(code - low)] = Int32(j) }
                plan.directStart = direct.count
                plan.directLow = low
                plan.directCount = span
                direct += table
            }
            plans.append(plan)
        }
        self.plans = plans
        self.direct = direct
    }

    /// Per attribute, what counting one value needs, in one cache-friendly record.
    private struct Plan {
        var valueStart: Int
        var valueCount: Int
        var binStart: Int
        var isCodes: Bool
        /// Whole-number codes within a span of at most ``directSpan``: their bins by `code - low`.
        var directStart = -1
        var directLow = 0.0
        var directCount = 0
    }

    /// Codes spanning at most this many whole numbers are binned by table lookup.
    static let directSpan = 128
    private let plans: [Plan]
    private let direct: [Int32]

    /// Attributes counted.
    public var attributeCount: Int { isCodes.count }

    /// Adds the bins of one row's inputs (NaN = missing) to `bins` (``binCount`` counters):
    /// the scorer's per-row work, one table lookup per small-code attribute and a binary
    /// search over at most a few dozen values for the others.
    @inline(__always)
    public func count(_ inputs: UnsafeBufferPointer<Double>, into bins: UnsafeMutableBufferPointer<Int>) {
        let n = min(inputs.count, plans.count)
        plans.withUnsafeBufferPointer { plans in
            values.withUnsafeBufferPointer { values in
                direct.withUnsafeBufferPointer { direct in
                    for a in 0..<n {
                        let plan = plans[a]
                        let x = inputs[a]
                        var bin: Int
                        if x.isNaN {
                            bin = plan.valueCount + 1
                        } else if plan.directStart >= 0 {
                            if let d = (x - plan.directLow).wholeNumberIndex(below: plan.directCount) {
                                bin = Int(direct[plan.directStart + d])
                            } else {
                                bin = plan.valueCount
                            }
                        } else {
                            var first = plan.valueStart
                            var count = plan.valueCount
                            while count > 0 {
                                let half = count >> 1
                                if values[first + half] < x {
                                    first += half + 1
                                    count -= half + 1
                                } else {
                                    count = half
                                }
                            }
                            let end = plan.valueStart + plan.valueCount
                            if plan.isCodes {
                                bin = first < end && values[first] == x ? first - plan.valueStart : plan.valueCount
                            } else {
                                bin = first - plan.valueStart
                            }
                        }
                        bins[plan.binStart + bin] += 1
                    }
                }
            }
        }
    }
    /// Counters in all (every attribute's bins).
    public var binCount: Int { binStart.last! }
    /// Segments counted.
    public var segmentCount: Int { reference.segmentShares.count }

    /// The bin (within attribute `a`'s bins) of `value`.
    @inline(__always)
    public func bin(_ value: Double, attribute a: Int) -> Int {
        let lo = valueStart[a]
        let hi = valueStart[a + 1]
        if value.isNaN { return hi - lo + 1 }
        // Lower bound: the first code/edge >= value.
        var first = lo
        var count = hi - lo
        values.withUnsafeBufferPointer { v in
            while count > 0 {
                let half = count >> 1
                if v[first + half] < value {
                    first += half + 1
                    count -= half + 1
                } else {
                    count = half
                }
            }
        }
        if isCodes[a] { return first < hi && values[first] == value ? first - lo : hi - lo }
        return first - lo
    }
}
