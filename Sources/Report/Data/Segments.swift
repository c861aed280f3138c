extension ReportData {
    /// The k-means segmentation and how customers spread over its segments.
    public struct Segments: Codable, Sendable, Hashable {
        /// Inertia and silhouette per k, when a range of k was scanned.
        public var kScan: [KScanPoint]?
        public var chosenK: Int
        /// In the order the page lists them (the "insufficient data" segment included).
        public var rows: [Segment]

        public init(kScan: [KScanPoint]?, chosenK: Int, rows: [Segment]) {
            self.kScan = kScan
            self.chosenK = chosenK
            self.rows = rows
        }
    }

    public struct KScanPoint: Codable, Sendable, Hashable {
        public var k: Int
        /// Sum of squared distances to the nearest centroid.
        public var inertia: Double
        /// Mean silhouette on the scan's sample (−1…1), if computed.
        public var silhouette: Double?

        public init(k: Int, inertia: Double, silhouette: Double?) {
            self.k = k
            self.inertia = inertia
            self.silhouette = silhouette
        }
    }

    public struct Segment: Codable, Sendable, Hashable {
        public var id: Int
        public var name: String
        /// "core", "over-represented", "neutral", "under-represented".
        public var label: String
        /// Share of the population in this segment (0–1).
        public var populationShare: Double
        /// Share of the customers in this segment (0–1).
        public var customerShare: Double
        /// customerShare / populationShare; `nil` when the population share is 0.
        public var ratio: Double?
        /// Strongest first.
        public var distinguishing: [Trait]

        public init(
            id: Int, name: String, label: String, populationShare: Double, customerShare: Double, ratio: Double?,
            distinguishing: [Trait]
        ) {
            self.id = id
            self.name = name
            self.label = label
            self.populationShare = populationShare
            self.customerShare = customerShare
            self.ratio = ratio
            self.distinguishing = distinguishing
        }
    }

    /// An attribute that sets a segment apart, with what the metadata says about it.
    public struct Trait: Codable, Sendable, Hashable {
        public var attribute: String
        /// The metadata's description of the attribute.
        public var description: String?
        /// The metadata's information level (e.g. "Person", "Household").
        public var level: String?
        /// Segment centroid minus population mean, in population standard deviations.
        public var deviation: Double
        /// The code the segment's members typically have (e.g. the centroid's nearest code).
        public var typicalCode: String?
        /// The metadata's meaning of ``typicalCode``.
        public var typicalMeaning: String?

        public init(
            attribute: String, description: String?, level: String?, deviation: Double, typicalCode: String?,
            typicalMeaning: String?
        ) {
            self.attribute = attribute
            self.description = description
            self.level = level
            self.deviation = deviation
            self.typicalCode = typicalCode
            self.typicalMeaning = typicalMeaning
        }
    }
}
