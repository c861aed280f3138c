/// What the cleaning fit did to each column and how often it met unknowns: written as JSON
/// beside the bundle and shown in the report.
public struct CleaningSummary: Sendable, Hashable, Codable {
    public struct ColumnReport: Sendable, Hashable, Codable {
        public enum Decision: String, Sendable, Hashable, Codable {
            case kept
            case engineered
            case droppedTooManyMissing = "dropped: too many missing"
            case droppedNoMetadata = "dropped: no metadata"
            case droppedNotUsable = "dropped: text without a rule"
            case identifier
            case excluded
        }

        public var name: String
        public var decision: Decision
        /// Metadata attribute matched, if any.
        public var attribute: String?
        public var informationLevel: String?
        /// Share of population rows missing after unknown codes became missing.
        public var missingShare: Double
        /// Empty fields in the population file.
        public var emptyCount: Int
        /// Values that were unknown codes per the metadata, or `X`/`XX` markers.
        public var unknownCodeHits: Int
        /// Tokens that were neither numbers nor known markers (read as missing).
        public var unparsableTokens: Int
        /// Features this column produced.
        public var features: [String]
    }

    public var rows: Int
    public var columns: [ColumnReport]
    public var featureCount: Int
    /// Rows with a missing share above the row threshold.
    public var rowsAboveMissingThreshold: Int
    public var maxColumnMissingShare: Double
    public var maxRowMissingShare: Double
    /// Histogram of per-row missing share in 20 bins of 5 % (for the report).
    public var rowMissingShareHistogram: [Int]

    public func columns(with decision: ColumnReport.Decision) -> [ColumnReport] {
        columns.filter { $0.decision == decision }
    }
}
