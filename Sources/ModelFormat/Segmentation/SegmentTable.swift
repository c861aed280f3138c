/// Customers against the population, per segment: the seed's central result.
///
/// Every output reads a segment's number, name and label from here (numbers from
/// ``SegmentNumbers``), so they cannot disagree.
public struct SegmentTable: Sendable, Hashable, Codable {
    /// How strongly customers over- or under-represent a segment, by the ratio of the
    /// customer share to the population share.
    public enum Label: String, Sendable, Hashable, Codable {
        /// ratio ≥ 2: the core customer base.
        case core
        /// 1.25 ≤ ratio < 2.
        case overRepresented = "over-represented"
        /// 0.8 < ratio < 1.25.
        case neutral
        /// ratio ≤ 0.8.
        case underRepresented = "under-represented"
        /// The rows with too little data to place: their ratio is shown, but it earns no
        /// customer label.
        case insufficientData = "insufficient-data"

        /// The label a cluster earns with this customer-to-population ratio (the thresholds above).
        public static func of(ratio: Double) -> Label {
            if ratio >= 2 { return .core }
            if ratio >= 1.25 { return .overRepresented }
            if ratio > 0.8 { return .neutral }
            return .underRepresented
        }
    }

    /// One attribute that sets a segment apart: its centroid's value in standard deviations.
    public struct Deviation: Sendable, Hashable, Codable {
        /// The feature's name in the transform.
        public var feature: String
        /// Centroid minus population mean, in population standard deviations.
        public var standardDeviations: Double
        /// The attribute's level in the metadata (`Person`, `PLZ8`, …), when known.
        public var informationLevel: String?

        /// A deviation from its parts.
        public init(feature: String, standardDeviations: Double, informationLevel: String?) {
            self.feature = feature
            self.standardDeviations = standardDeviations
            self.informationLevel = informationLevel
        }
    }

    /// One segment: its counts and shares in both files, the ratio, and what sets it apart.
    public struct Row: Sendable, Hashable, Codable {
        /// The segment's number in every output (0: insufficient data; see ``SegmentNumbers``).
        public var number: Int
        /// "segment 7" or "insufficient data".
        public var name: String
        /// The model's index of the segment: its centroid row, or the cluster count for
        /// insufficient data (what the `segmentLabels` section is indexed by).
        public var cluster: Int
        /// Population rows placed in the segment.
        public var populationCount: Int
        /// Customer rows placed in the segment.
        public var customerCount: Int
        /// The segment's share of the population rows.
        public var populationShare: Double
        /// The segment's share of the customer rows.
        public var customerShare: Double
        /// customerShare / populationShare (infinite when the population share is 0).
        public var ratio: Double
        /// How customers represent the segment, derived from ``ratio``.
        public var label: Label
        /// The features whose centroid values lie furthest from the population mean.
        public var distinguishing: [Deviation]

        /// Name and label follow from the number and the ratio; the only place they are derived.
        public init(
            number: Int, cluster: Int, populationCount: Int, customerCount: Int, populationShare: Double,
            customerShare: Double, ratio: Double, distinguishing: [Deviation]
        ) {
            self.number = number
            self.name = SegmentNumbers.name(of: number)
            self.cluster = cluster
            self.populationCount = populationCount
            self.customerCount = customerCount
            self.populationShare = populationShare
            self.customerShare = customerShare
            self.ratio = ratio
            self.label = number == SegmentNumbers.insufficientData ? .insufficientData : Label.of(ratio: ratio)
            self.distinguishing = distinguishing
        }
    }

    /// Insufficient data (0) first, then by number.
    public var rows: [Row]

    /// A table of `rows`, put in number order.
    public init(rows: [Row]) { self.rows = rows.sorted { $0.number < $1.number } }

    /// The same table under other numbers: row `cluster` c becomes `numbers.number(ofSegment: c)`.
    public func renumbered(_ numbers: SegmentNumbers) -> SegmentTable {
        SegmentTable(rows: rows.map { row in
            Row(number: numbers.number(ofSegment: row.cluster), cluster: row.cluster, populationCount: row.populationCount,
                customerCount: row.customerCount, populationShare: row.populationShare, customerShare: row.customerShare,
                ratio: row.ratio, distinguishing: row.distinguishing)
        })
    }

    /// The row of a segment number.
    public func row(number: Int) -> Row? { rows.first { $0.number == number } }
}
