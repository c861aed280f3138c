/// How one output column is generated.
struct ColumnPlan: Sendable {
    enum Special: Sendable { case none, lnr, response }

    var name: String
    var special: Special = .none
    /// Rendered values: the ordered (copula) values first, then the rare ones.
    var tokens: [String] = []
    var orderedCount: Int = 0
    /// Latent-score cut points between consecutive ordered values (orderedCount - 1).
    var thresholds: [Double] = []
    /// Cumulative probabilities of the rare values, drawn independently of the traits.
    var rareCumulative: [Double] = []
    var loading: [Double] = []
    var noise: Double = 0
    /// Index of the missing unit (block or own group), or nil if never missing.
    var missingUnit: Int?
    /// Missing rate per population in sparse rows and in ordinary rows (see MissingModel).
    var sparseRate: [Double] = [0, 0, 0]
    var denseRate: [Double] = [0, 0, 0]
    /// Reuse this earlier column's latent score (CAMEO_INTL follows CAMEO_DEU).
    var scoreSource: Int?
    /// Value index = map[value index of `scoreSource`] (CAMEO_DEUG is CAMEO_DEU's first digit).
    var derivedMap: [Int]?

    /// The numeric value of each token (NaN for text), for the response model.
    var numbers: [Double] {
        tokens.map { Double($0) ?? .nan }
    }
}

/// One population a file is drawn from.
public enum Population: Int, Sendable, CaseIterable {
    case azdias = 0, customers, mailout

    public var name: String {
        switch self {
        case .azdias: return "azdias"
        case .customers: return "customers"
        case .mailout: return "mailout"
        }
    }
}
