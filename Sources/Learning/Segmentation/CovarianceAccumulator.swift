import ModelFormat

/// Mean and covariance of rows fed in blocks (stand-in until the streaming kernel lands):
/// each block's own mean and covariance are merged exactly (Chan et al.'s pairwise update).
public struct CovarianceAccumulator: Sendable {
    public let columns: Int
    public private(set) var rows = 0
    private var mean: [Double]
    private var m2: [Double]

    public init(columns: Int, shift: [Double]? = nil) {
        self.columns = columns
        mean = [Double](repeating: 0, count: columns)
        m2 = [Double](repeating: 0, count: columns * columns)
    }

    public mutating func add(rows values: UnsafeBufferPointer<Double>, count: Int) throws(SegmentationError) {
        guard count > 0 else { return }
        let p = columns
        let block = Matrix(rows: count, columns: p, values: Array(values[0..<(count * p)]))
        var blockMean: [Double]
        var blockM2: [Double]
        if count >= 2 {
            let (m, c) = try PCA.meanAndCovariance(block)
            blockMean = m
            blockM2 = c.values.map { $0 * Double(count - 1) }
        } else {
            blockMean = try PCA.columnMeans(block)
            blockM2 = [Double](repeating: 0, count: p * p)
        }
        let n = Double(rows), b = Double(count), total = n + b
        for i in 0..<p {
            let di = blockMean[i] - mean[i]
            for j in 0..<p {
                let dj = blockMean[j] - mean[j]
                m2[i * p + j] += blockM2[i * p + j] + di * dj * n * b / total
            }
        }
        for i in 0..<p { mean[i] += (blockMean[i] - mean[i]) * b / total }
        rows += count
    }

    public func finish() throws(SegmentationError) -> (mean: [Double], covariance: Matrix) {
        guard rows >= 2 else { throw .emptyInput(rows: rows, columns: columns) }
        return (mean, Matrix(rows: columns, columns: columns, values: m2.map { $0 / Double(rows - 1) }))
    }
}

extension PCA {
    /// The eigen part of ``fit(_:components:)`` on an accumulated mean and covariance.
    public static func fit(mean: [Double], covariance: Matrix, components: ComponentCount) throws(SegmentationError) -> Fit {
        let decomposition: SymmetricEigen.Decomposition
        do {
            decomposition = try SymmetricEigen.decompose(covariance)
        } catch {
            throw .eigenSolverFailed(error.description)
        }
        let p = covariance.columns
        let eigenvalues = decomposition.eigenvalues.map { max($0, 0) }
        let total = eigenvalues.reduce(0, +)
        let ratios = eigenvalues.map { total > 0 ? $0 / total : 0 }
        let kept: Int
        switch components {
        case let .fixed(count):
            guard count >= 1 && count <= p else { throw .invalidComponentCount(requested: count, columns: p) }
            kept = count
        case let .explainedVariance(target):
            guard target > 0 && target <= 1 else { throw .invalidVarianceTarget(target) }
            var cumulative = 0.0
            var atOrBelow = 0
            for ratio in ratios {
                cumulative += ratio
                if cumulative <= target { atOrBelow += 1 } else { break }
            }
            kept = min(atOrBelow + 1, p)
        }
        let axes = Matrix(rows: kept, columns: p, values: Array(decomposition.eigenvectors.values[0..<(kept * p)]))
        return Fit(
            projection: PCAProjection(
                mean: mean, components: axes, explainedVariance: Array(eigenvalues[0..<kept]),
                explainedVarianceRatio: Array(ratios[0..<kept])),
            eigenvalues: eigenvalues)
    }
}
