extension ReportData {
    /// The k-means segmentation and how customers spread over its segments.
    package struct Segments: Codable, Sendable, Hashable {
        /// Inertia and silhouette per k, when a range of k was scanned.
        package var kScan: [KScanPoint]?
        package var chosenK: Int
        /// In the order the page lists them (the "insufficient data" segment included).
        package var rows: [Segment]
        /// How the segments follow the previous bundle's; nil without one.
        package var lineage: Lineage?

        package init(kScan: [KScanPoint]?, chosenK: Int, rows: [Segment], lineage: Lineage? = nil) {
            self.kScan = kScan
            self.chosenK = chosenK
            self.rows = rows
            self.lineage = lineage
        }
    }

    /// Which segments kept their number from the previous bundle, which are new, which vanished.
    package struct Lineage: Codable, Sendable, Hashable {
        package var previousBundleId: String
        /// Numbered afresh on request although there was a previous bundle.
        package var renumbered: Bool
        /// By number; vanished segments included.
        package var entries: [Entry]

        package struct Entry: Codable, Sendable, Hashable {
            package var number: Int
            /// "segment 7" or "insufficient data".
            package var name: String
            /// "kept", "new" or "vanished".
            package var status: String
            /// How far the centre moved (kept), or the nearest centre on the other side (new,
            /// vanished), in population standard deviations (root mean square over features).
            package var distance: Double?
            package var populationShareBefore: Double?
            package var populationShareNow: Double?
            package var customerShareBefore: Double?
            package var customerShareNow: Double?

            package init(
                number: Int, name: String, status: String, distance: Double?, populationShareBefore: Double?, populationShareNow: Double?,
                customerShareBefore: Double?, customerShareNow: Double?
            ) {
                self.number = number
                self.name = name
                self.status = status
                self.distance = distance
                self.populationShareBefore = populationShareBefore
                self.populationShareNow = populationShareNow
                self.customerShareBefore = customerShareBefore
                self.customerShareNow = customerShareNow
            }
        }

        package init(previousBundleId: String, renumbered: Bool, entries: [Entry]) {
            self.previousBundleId = previousBundleId
            self.renumbered = renumbered
            self.entries = entries
        }
    }

    package struct KScanPoint: Codable, Sendable, Hashable {
        package var k: Int
        /// Sum of squared distances to the nearest centroid.
        package var inertia: Double
        /// Mean silhouette on the scan's sample (−1…1), if computed.
        package var silhouette: Double?

        package init(k: Int, inertia: Double, silhouette: Double?) {
            self.k = k
            self.inertia = inertia
            self.silhouette = silhouette
        }
    }

    package struct Segment: Codable, Sendable, Hashable {
        /// The segment's number, as every other output prints it (0: insufficient data).
        package var id: Int
        /// "segment 7" or "insufficient data".
        package var name: String
        /// "core", "over-represented", "neutral", "under-represented" or "insufficient-data".
        package var label: String
        /// Share of the population in this segment (0–1).
        package var populationShare: Double
        /// Share of the customers in this segment (0–1).
        package var customerShare: Double
        /// customerShare / populationShare; `nil` when the population share is 0.
        package var ratio: Double?
        /// Strongest first.
        package var distinguishing: [Trait]
        /// How the segment's people in the campaign file responded; nil when the run did not fit
        /// the response model itself (a cached model) or in older manifests.
        package var campaign: CampaignResponse?

        package init(
            id: Int, name: String, label: String, populationShare: Double, customerShare: Double, ratio: Double?,
            distinguishing: [Trait], campaign: CampaignResponse? = nil
        ) {
            self.id = id
            self.name = name
            self.label = label
            self.populationShare = populationShare
            self.customerShare = customerShare
            self.ratio = ratio
            self.distinguishing = distinguishing
            self.campaign = campaign
        }
    }

    /// A segment's rows of the campaign's training file: does the segment also respond?
    package struct CampaignResponse: Codable, Sendable, Hashable {
        /// Campaign rows in the segment.
        package var rows: Int
        /// Their mean out-of-fold predicted response probability (0–1).
        package var meanPredicted: Double
        /// The share of them who responded (0–1).
        package var observedRate: Double

        package init(rows: Int, meanPredicted: Double, observedRate: Double) {
            self.rows = rows
            self.meanPredicted = meanPredicted
            self.observedRate = observedRate
        }
    }

    /// An attribute that sets a segment apart, with what the metadata says about it.
    package struct Trait: Codable, Sendable, Hashable {
        package var attribute: String
        /// The metadata's description of the attribute.
        package var description: String?
        /// The metadata's information level (e.g. "Person", "Household").
        package var level: String?
        /// Segment centroid minus population mean, in population standard deviations.
        package var deviation: Double
        /// The code the segment's members typically have (e.g. the centroid's nearest code).
        package var typicalCode: String?
        /// The metadata's meaning of ``typicalCode``.
        package var typicalMeaning: String?

        package init(
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
