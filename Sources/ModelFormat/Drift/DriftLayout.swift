/// A ``ReferenceDistribution`` laid out for counting: every attribute's codes or edges in one
/// flat array, so binning a value is one binary search over a handful of doubles.
///
/// Attribute `a` owns the counters `binStart[a] ..< binStart[a + 1]`: its value bins, then
/// "other"/"above", then "missing".
public final class DriftLayout: Sendable {
    public let reference: ReferenceDistribution
    private let values: [Double]
    private let valueStart: [Int]
    private let isCodes: [Bool]
    public let binStart: [Int]

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
    }

    public var attributeCount: Int { isCodes.count }
    public var binCount: Int { binStart.last! }
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
