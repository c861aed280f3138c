extension ReportData {
    /// How complete the population data was, and what the cleaning did about it.
    package struct DataQuality: Codable, Sendable, Hashable {
        /// Every data column of the population file, in file order.
        package var columns: [Column]
        /// Columns missing in more than this share were dropped (0–1), if that rule was used.
        package var columnMissingThreshold: Double?
        /// How the rows' missing shares (over the kept columns) are distributed.
        package var rowMissingHistogram: Histogram
        /// Rows missing more than this share (0–1) are "insufficient data".
        package var rowMissingThreshold: Double
        package var rowsAboveThreshold: Int
        /// All population rows, for the share above the threshold.
        package var rowCount: Int

        package init(
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

    package struct Column: Codable, Sendable, Hashable {
        package var name: String
        /// Share of population rows missing this column after unknown codes became missing (0–1).
        package var missingShare: Double
        /// Why the cleaning dropped the column (e.g. "missing > 30%"); `nil` when it was kept.
        package var droppedReason: String?
        /// Whether the metadata workbooks describe the column.
        package var hasMetadata: Bool
        /// Cells holding a code the metadata marks as "unknown", which became missing.
        package var unknownCodeHits: Int

        package init(name: String, missingShare: Double, droppedReason: String?, hasMetadata: Bool, unknownCodeHits: Int)
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
    package struct Histogram: Codable, Sendable, Hashable {
        package var binEdges: [Double]
        package var counts: [Int]

        package init(binEdges: [Double], counts: [Int]) {
            self.binEdges = binEdges
            self.counts = counts
        }
    }
}
