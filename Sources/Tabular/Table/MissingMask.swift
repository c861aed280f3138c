/// One bit per row: set where the column has no number (or no text) for that row.
///
/// A column without any missing cell stores no words at all.
public struct MissingMask: Sendable, Equatable {
    /// Rows the mask covers.
    public let rowCount: Int
    /// Bit `row & 63` of word `row >> 6`; empty when nothing is missing.
    public let words: [UInt64]
    /// Number of set bits.
    public let count: Int

    /// A mask from its bit words (see ``words``); words with no bit set are not kept.
    public init(rowCount: Int, words: [UInt64]) {
        self.rowCount = rowCount
        let total = words.reduce(0) { $0 + $1.nonzeroBitCount }
        self.words = total == 0 ? [] : words
        self.count = total
    }

    /// A mask with the given rows set.
    public init(rowCount: Int, missingRows: [Int]) {
        var words = [UInt64](repeating: 0, count: (rowCount + 63) / 64)
        for row in missingRows { words[row >> 6] |= 1 << UInt64(row & 63) }
        self.init(rowCount: rowCount, words: words)
    }

    /// Whether `row` is missing.
    @inline(__always)
    public func contains(_ row: Int) -> Bool {
        words.isEmpty ? false : (words[row >> 6] >> UInt64(row & 63)) & 1 == 1
    }

    /// Bytes held by the words, for memory reports.
    public var byteCount: Int { words.count * 8 }
}
