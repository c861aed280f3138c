import Numerics

/// A fitted principal-component projection: centre a row on the training mean, then take
/// its coordinates along the leading principal axes.
///
/// Kept as a plain value so the scorer can apply it without any fitting code.
public struct PCAProjection: Sendable, Hashable {
    /// Training column means (length p).
    public var mean: [Double]
    /// Principal axes as rows (k x p), unit length, in descending order of variance.
    /// Each row's largest-magnitude entry is positive (scikit-learn's `svd_flip` convention).
    public var components: Matrix
    /// Variance of the training data along each kept axis (n - 1 denominator).
    public var explainedVariance: [Double]
    /// Each kept axis's share of the total variance (over all p axes, not only the kept ones).
    public var explainedVarianceRatio: [Double]

    /// A projection from its fitted parts; `components` has one row per kept axis and one
    /// column per feature, and the variances one entry per axis.
    public init(mean: [Double], components: Matrix, explainedVariance: [Double], explainedVarianceRatio: [Double]) {
        precondition(components.columns == mean.count, "PCAProjection: components have \(components.columns) columns for \(mean.count) means")
        precondition(explainedVariance.count == components.rows && explainedVarianceRatio.count == components.rows,
                     "PCAProjection: one explained variance per component")
        self.mean = mean
        self.components = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
    }

    /// Number of input columns (p).
    public var inputDimension: Int { mean.count }
    /// Number of kept components (k).
    public var outputDimension: Int { components.rows }

    /// Writes the k projected coordinates of `row` (length p) into `output` (length k).
    public func project(_ row: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(row.count == inputDimension && output.count == outputDimension, "PCAProjection.project: wrong lengths")
        let p = inputDimension
        mean.withUnsafeBufferPointer { mu in
            components.values.withUnsafeBufferPointer { axes in
                for c in 0..<outputDimension {
                    let axis = axes.baseAddress! + c * p
                    var sum = 0.0
                    for j in 0..<p { sum += (row[j] - mu[j]) * axis[j] }
                    output[c] = sum
                }
            }
        }
    }

    /// The k projected coordinates of `row` (length p).
    public func project(_ row: [Double]) -> [Double] {
        var output = [Double](repeating: 0, count: outputDimension)
        row.withUnsafeBufferPointer { r in
            output.withUnsafeMutableBufferPointer { project(r, into: $0) }
        }
        return output
    }
}
