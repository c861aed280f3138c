/// What the cleaning fit did to each column and how often it met unknowns: written as JSON
/// beside the bundle and shown in the report.
package struct CleaningSummary: Sendable, Hashable, Codable {
    package struct ColumnReport: Sendable, Hashable, Codable {
        package enum Decision: String, Sendable, Hashable, Codable {
            case kept
            case engineered
            case droppedTooManyMissing = "dropped: too many missing"
            case droppedNoMetadata = "dropped: no metadata"
            case droppedNotUsable = "dropped: text without a rule"
            case identifier
            case excluded
        }

        package var name: String
        package var decision: Decision
        /// Metadata attribute matched, if any.
        package var attribute: String?
        package var informationLevel: String?
        /// Share of population rows missing after unknown codes became missing.
        package var missingShare: Double
        /// Empty fields in the population file.
        package var emptyCount: Int
        /// Values that were unknown codes per the metadata, or `X`/`XX` markers.
        package var unknownCodeHits: Int
        /// Tokens that were neither numbers nor known markers (read as missing).
        package var unparsableTokens: Int
        /// Features this column produced.
        package var features: [String]
    }

    package var rows: Int
    package var columns: [ColumnReport]
    package var featureCount: Int
    /// Rows with a missing share above the row threshold.
    package var rowsAboveMissingThreshold: Int
    package var maxColumnMissingShare: Double
    package var maxRowMissingShare: Double
    /// Histogram of per-row missing share in 20 bins of 5 % (for the report).
    package var rowMissingShareHistogram: [Int]

    package func columns(with decision: ColumnReport.Decision) -> [ColumnReport] {
        columns.filter { $0.decision == decision }
    }
}
