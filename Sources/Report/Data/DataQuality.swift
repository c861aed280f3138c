extension ReportData {
    /// How complete the population data was, and what the cleaning did about it.
    public struct DataQuality: Codable, Sendable, Hashable {
        /// Every data column of the population file, in file order.
        public var columns: [Column]
        /// Columns missing in more than this share were dropped (0–1), if that rule was used.
        public var columnMissingThreshold: Double?
        /// How the rows' missing shares (over the kept columns) are distributed.
        public var rowMissingHistogram: Histogram
        /// Rows missing more than this share (0–1) are "insufficient data".
        public var rowMissingThreshold: Double
        public var rowsAboveThreshold: Int
        /// All population rows, for the share above the threshold.
        public var rowCount: Int

        public init(
            columns: [Column], columnMissingThreshold: Double?, rowMissingHistogram: Histogram,
            rowMissingThreshold: Double, rowsAboveThreshold: Int, rowCount: Int
        ) {
            self.columns = columns
            self.columnMissingThreshold = columnMissingThreshold
            self.rowMissingHistogram = rowMissingHistogram
            self.rowMissingThreshold = rowMissingThreshold
            self.rowsAboveThreshold = rowsAboveThreshold
            self.rowCount = rowCount
        }
    }

    public struct Column: Codable, Sendable, Hashable {
        public var name: String
        /// Share of population rows missing this column after unknown codes became missing (0–1).
        public var missingShare: Double
        /// Why the cleaning dropped the column (e.g. "missing > 30%"); `nil` when it was kept.
        public var droppedReason: String?
        /// Whether the metadata workbooks describe the column.
        public var hasMetadata: Bool
        /// Cells holding a code the metadata marks as "unknown", which became missing.
        public var unknownCodeHits: Int

        public init(name: String, missingShare: Double, droppedReason: String?, hasMetadata: Bool, unknownCodeHits: Int)
        {
            self.name = name
            self.missingShare = missingShare
            self.droppedReason = droppedReason
            self.hasMetadata = hasMetadata
            self.unknownCodeHits = unknownCodeHits
        }
    }

    /// Counts per bin; bin `i` spans `binEdges[i] ..< binEdges[i + 1]` (the last bin includes its
    /// upper edge), so there is one more edge than counts.
    public struct Histogram: Codable, Sendable, Hashable {
        public var binEdges: [Double]
        public var counts: [Int]

        public init(binEdges: [Double], counts: [Int]) {
            self.binEdges = binEdges
            self.counts = counts
        }
    }
}
