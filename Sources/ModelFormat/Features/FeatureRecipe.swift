/// How one output feature is computed from the cleaned inputs of a row.
public enum FeatureRecipe: Sendable, Hashable {
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
}

/// One output feature: its recipe and the statistics fitted on the population.
public struct FeatureSpec: Sendable, Hashable {
    /// The feature's name: its column's, or derived from it (`CAMEO_INTL_2015_tens`).
    public var name: String
    /// How it is computed from the inputs.
    public var recipe: FeatureRecipe
    /// Replaces a missing value before scaling (the population median).
    public var fillValue: Double
    /// Mean and standard deviation of the filled feature on the population (scale 1 when constant).
    public var mean: Double
    /// The standard deviation it is divided by.
    public var scale: Double

    /// A feature from its recipe and fitted statistics (defaults: no fill, no scaling).
    public init(name: String, recipe: FeatureRecipe, fillValue: Double = 0, mean: Double = 0, scale: Double = 1) {
        self.name = name
        self.recipe = recipe
        self.fillValue = fillValue
        self.mean = mean
        self.scale = scale
    }
}
