/// A fitted principal-component projection: centre a row on the training mean, then take
/// its coordinates along the leading principal axes.
///
/// Kept as a plain value so the scorer can apply it without any fitting code.
public struct PCAProjection: Sendable, Hashable, Codable {
    /// Training column means (length p).
    public var mean: [Double]
    /// Principal axes as rows (k x p), unit length, in descending order of variance.
    /// Each row's largest-magnitude entry is positive (scikit-learn's `svd_flip` convention).
    public var components: Matrix
    /// Variance of the training data along each kept axis (n - 1 denominator).
    public var explainedVariance: [Double]
    /// Each kept axis's share of the total variance (over all p axes, not only the kept ones).
    public var explainedVarianceRatio: [Double]

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

    private enum CodingKeys: String, CodingKey {
        case mean, components, explainedVariance, explainedVarianceRatio
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Double].self, forKey: .mean)
        let components = try container.decode(CodableMatrix.self, forKey: .components)
        let variance = try container.decode([Double].self, forKey: .explainedVariance)
        let ratio = try container.decode([Double].self, forKey: .explainedVarianceRatio)
        let matrix = try components.matrix(codingPath: container.codingPath + [CodingKeys.components])
        guard matrix.columns == mean.count, variance.count == matrix.rows, ratio.count == matrix.rows else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath,
                debugDescription: "PCAProjection: \(matrix.rows)x\(matrix.columns) components do not match \(mean.count) means, \(variance.count) variances and \(ratio.count) ratios"))
        }
        self.init(mean: mean, components: matrix, explainedVariance: variance, explainedVarianceRatio: ratio)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(CodableMatrix(components), forKey: .components)
        try container.encode(explainedVariance, forKey: .explainedVariance)
        try container.encode(explainedVarianceRatio, forKey: .explainedVarianceRatio)
    }
}

/// How the segmentation values store a `Matrix` in a Codable container, without making
/// `Matrix` itself Codable (the bundle format owns that decision).
struct CodableMatrix: Codable {
    var rows: Int
    var columns: Int
    var values: [Double]

    init(_ matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        values = matrix.values
    }

    func matrix(codingPath: [any CodingKey]) throws -> Matrix {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "matrix of \(rows)x\(columns) has \(values.count) values"))
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }
}
