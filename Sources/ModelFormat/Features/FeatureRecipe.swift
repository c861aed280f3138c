/// How one output feature is computed from the cleaned inputs of a row.
public enum FeatureRecipe: Sendable, Hashable, Codable {
    /// The input's value as it is.
    case value(input: Int)
    /// 1 if the input equals `code`, 0 if it holds another value, missing if missing (one-hot).
    case indicator(input: Int, code: Double)
    /// The tens digit of a two-digit code (CAMEO_INTL_2015 → wealth).
    case tensDigit(input: Int)
    /// The units digit of a two-digit code (CAMEO_INTL_2015 → life stage).
    case unitsDigit(input: Int)
    /// `table[value]` for an integer value inside the table, missing otherwise
    /// (PRAEGENDE_JUGENDJAHRE → decade, movement).
    case lookup(input: Int, table: [Double])
    /// The share of the row's counted inputs that are missing.
    case missingShare

    /// Computes the feature from cleaned inputs (NaN = missing).
    @inline(__always)
    public func evaluate(_ inputs: UnsafeBufferPointer<Double>, missingShare share: Double) -> Double {
        switch self {
        case .value(let input):
            return inputs[input]
        case .indicator(let input, let code):
            let v = inputs[input]
            return v.isNaN ? .nan : (v == code ? 1 : 0)
        case .tensDigit(let input):
            let v = inputs[input]
            return v.isNaN ? .nan : (v / 10).rounded(.towardZero)
        case .unitsDigit(let input):
            let v = inputs[input]
            return v.isNaN ? .nan : v.truncatingRemainder(dividingBy: 10)
        case .lookup(let input, let table):
            let v = inputs[input]
            guard v >= 0, v < Double(table.count), v == v.rounded(.towardZero) else { return .nan }
            return table[Int(v)]
        case .missingShare:
            return share
        }
    }
}

/// One output feature: its recipe and the statistics fitted on the population.
public struct FeatureSpec: Sendable, Hashable, Codable {
    public var name: String
    public var recipe: FeatureRecipe
    /// Replaces a missing value before scaling (the population median).
    public var fillValue: Double
    /// Mean and standard deviation of the filled feature on the population (scale 1 when constant).
    public var mean: Double
    public var scale: Double

    public init(name: String, recipe: FeatureRecipe, fillValue: Double = 0, mean: Double = 0, scale: Double = 1) {
        self.name = name
        self.recipe = recipe
        self.fillValue = fillValue
        self.mean = mean
        self.scale = scale
    }
}
