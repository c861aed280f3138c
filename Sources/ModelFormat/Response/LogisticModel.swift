import Foundation

/// A fitted L2-regularised logistic regression on standardised features.
///
/// It carries its own standardisation (`means`, `scales`) so a raw row can be scored directly;
/// a missing value becomes 0 after standardisation, i.e. it is imputed with the training mean.
public struct LogisticModel: Sendable, Hashable {
    /// Training means of the features, subtracted before scaling.
    public var means: [Double]
    /// Standard deviations used for scaling (1 for constant features, whose weight is 0).
    public var scales: [Double]
    /// Coefficients on the standardised features.
    public var weights: [Double]
    /// The log-odds of a row at the training means.
    public var intercept: Double

    /// A model from its fitted parts, one mean, scale and weight per feature.
    public init(means: [Double], scales: [Double], weights: [Double], intercept: Double) {
        precondition(means.count == scales.count && means.count == weights.count)
        self.means = means
        self.scales = scales
        self.weights = weights
        self.intercept = intercept
    }

    /// Number of features a row must have.
    public var featureCount: Int { weights.count }

    /// The log-odds of a raw row (NaN = missing, which contributes nothing).
    @inlinable
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count >= weights.count, "LogisticModel: row has \(row.count) values, needs \(weights.count)")
        var z = intercept
        for j in 0..<weights.count {
            let x = row[j]
            if !x.isNaN { z += weights[j] * ((x - means[j]) / scales[j]) }
        }
        return z
    }

    /// The log-odds of a raw row held in an array.
    public func rawScore(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { rawScore($0) } }

    /// The probability of a response for a raw row.
    @inlinable
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double { Logistic.sigmoid(rawScore(row)) }

    /// The probability of a response for a raw row held in an array.
    public func probability(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { probability($0) } }
}
