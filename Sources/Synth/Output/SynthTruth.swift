/// The ground truth of a generated data set (`truth/truth.json`).
public struct SynthTruth: Sendable, Codable {
    public var seed: UInt64
    public var scale: Double
    public var traits: [String]
    public var segments: [SegmentTruth]
    /// Segments with at least 1.5 times their population share among customers.
    public var overRepresentedSegments: [Int]
    /// Segments with at most 2/3 of their population share among customers.
    public var underRepresentedSegments: [Int]
    public var response: ResponseTruth
    public var files: [String: FileTruth]

    enum CodingKeys: String, CodingKey {
        case seed, scale, traits, segments, response, files
        case overRepresentedSegments = "over_represented_segments"
        case underRepresentedSegments = "under_represented_segments"
    }

    public struct SegmentTruth: Sendable, Codable {
        public var id: Int
        public var traitMeans: [Double]
        public var populationShare: Double
        public var customerShare: Double
        public var mailoutShare: Double
        /// customer share / population share.
        public var customerRatio: Double
        public var responseOffset: Double

        enum CodingKeys: String, CodingKey {
            case id
            case traitMeans = "trait_means"
            case populationShare = "population_share"
            case customerShare = "customer_share"
            case mailoutShare = "mailout_share"
            case customerRatio = "customer_ratio"
            case responseOffset = "response_offset"
        }
    }

    public struct ResponseTruth: Sendable, Codable {
        public var targetBaseRate: Double
        public var intercept: Double
        public var strength: Double
        public var hiddenWeight: Double
        public var formula: String

        enum CodingKeys: String, CodingKey {
            case intercept, strength, formula
            case hiddenWeight = "hidden_weight"
            case targetBaseRate = "target_base_rate"
        }
    }

    public struct FileTruth: Sendable, Codable {
        public var fileName: String
        public var rows: Int
        public var bytes: Int
        /// Rows per true segment, in segment order.
        public var segmentCounts: [Int]
        /// Share of rows missing more than half of their values.
        public var sparseShare: Double
        /// Mailout files: mean true probability, drawn responses, and the AUC of the
        /// true probabilities against the drawn responses (the best any model can do on
        /// this draw) and its expectation over draws.
        public var meanProbability: Double?
        public var positives: Int?
        public var bayesAUC: Double?
        public var expectedBayesAUC: Double?

        enum CodingKeys: String, CodingKey {
            case rows, bytes, positives
            case fileName = "file_name"
            case segmentCounts = "segment_counts"
            case sparseShare = "sparse_share"
            case meanProbability = "mean_probability"
            case bayesAUC = "bayes_auc"
            case expectedBayesAUC = "expected_bayes_auc"
        }
    }
}

/// ROC AUC figures computed from true probabilities.
public enum AUC {
    /// Mann–Whitney AUC of `scores` against 0/1 `labels` (ties count half); nil without both classes.
    public static func of(scores: [Double], labels: [UInt8]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPositive = 0.0
        var positives = 0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] == 1 {
                rankSumPositive += rank
                positives += 1
            }
            i = j + 1
        }
        let negatives = scores.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        return (rankSumPositive - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }

    /// The AUC a perfect model scores in expectation when labels are drawn from `probabilities`:
    /// Σ p_i (1 − p_j) over pairs with p_i > p_j (ties half), over Σ p_i (1 − p_j) over all pairs i ≠ j.
    public static func expected(probabilities p: [Double]) -> Double? {
        let sorted = p.sorted()
        var below = 0.0  // Σ (1 - p_j) over strictly smaller p_j
        var numerator = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[i] { j += 1 }
            let groupNegatives = (i...j).reduce(0.0) { $0 + (1 - sorted[$1]) }
            for k in i...j {
                let tiedOthers = groupNegatives - (1 - sorted[k])
                numerator += sorted[k] * (below + 0.5 * tiedOthers)
            }
            below += groupNegatives
            i = j + 1
        }
        let sumP = p.reduce(0, +)
        let sumQ = p.reduce(0) { $0 + (1 - $1) }
        let selfPairs = p.reduce(0) { $0 + $1 * (1 - $1) }
        let denominator = sumP * sumQ - selfPairs
        return denominator > 0 ? numerator / denominator : nil
    }
}
