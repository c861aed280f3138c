/// One data column the fitted transform reads, and how its field is turned into a number.
///
/// Every input becomes one `Double` per row (NaN = missing) before any feature is computed,
/// so the table path and the per-record path of the scorer meet at the same numbers.
public struct InputColumn: Sendable, Hashable {
    /// How a field of this column becomes a number.
    public enum Reading: Sendable, Hashable {
        /// A number as written (`2`, `2.0`, `-1`). Non-numeric tokens (`X`, `XX`) are missing.
        case number
        /// A text category: its position in `vocabulary`; text outside it (or a missing marker) is missing.
        case category(vocabulary: [String])
        /// A timestamp such as `1992-02-10 00:00:00`, read as its year.
        case year
    }

    /// The data column's header name.
    public var name: String
    /// How its field becomes a number.
    public var reading: Reading
    /// Codes the metadata says mean "unknown" (and other codes mapped to missing), as numbers.
    /// For a category these are vocabulary positions.
    public var unknownCodes: [Double]
    /// Whether this column counts in the per-row missing share.
    public var countsTowardMissingShare: Bool

    /// An input; `unknownCodes` are sorted here, for binary search.
    public init(name: String, reading: Reading, unknownCodes: [Double] = [], countsTowardMissingShare: Bool = true) {
        self.name = name
        self.reading = reading
        self.unknownCodes = unknownCodes.sorted()
        self.countsTowardMissingShare = countsTowardMissingShare
    }

    /// Non-numeric markers that stand for "no value" in the Arvato files (the CAMEO columns).
    public static let missingMarkers: Set<String> = ["X", "XX"]

    /// The year of a `YYYY-MM-DD...` timestamp, from its first four bytes; nil otherwise.
    @inline(__always)
    public static func year(of bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count >= 4 else { return nil }
        var year = 0
        for i in 0..<4 {
            let digit = bytes[i] &- 0x30
            guard digit <= 9 else { return nil }
            year = year * 10 + Int(digit)
        }
        if bytes.count > 4 && bytes[4] != UInt8(ascii: "-") { return nil }
        return Double(year)
    }
}
