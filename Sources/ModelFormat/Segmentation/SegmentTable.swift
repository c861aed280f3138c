/// Customers against the population, per segment: the seed's central result.
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

        public static func of(ratio: Double) -> Label {
            if ratio >= 2 { return .core }
            if ratio >= 1.25 { return .overRepresented }
            if ratio > 0.8 { return .neutral }
            return .underRepresented
        }
    }

    /// One attribute that sets a segment apart: its centroid's value in standard deviations.
    public struct Deviation: Sendable, Hashable, Codable {
        public var feature: String
        /// Centroid minus population mean, in population standard deviations.
        public var standardDeviations: Double
        public var informationLevel: String?

        public init(feature: String, standardDeviations: Double, informationLevel: String?) {
            self.feature = feature
            self.standardDeviations = standardDeviations
            self.informationLevel = informationLevel
        }
    }

    public struct Row: Sendable, Hashable, Codable {
        public var segment: Int
        public var name: String
        public var populationCount: Int
        public var customerCount: Int
        public var populationShare: Double
        public var customerShare: Double
        /// customerShare / populationShare (infinite when the population share is 0).
        public var ratio: Double
        public var label: Label
        public var distinguishing: [Deviation]

        public init(
            segment: Int, name: String, populationCount: Int, customerCount: Int, populationShare: Double,
            customerShare: Double, ratio: Double, label: Label, distinguishing: [Deviation]
        ) {
            self.segment = segment
            self.name = name
            self.populationCount = populationCount
            self.customerCount = customerCount
            self.populationShare = populationShare
            self.customerShare = customerShare
            self.ratio = ratio
            self.label = label
            self.distinguishing = distinguishing
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }
}
