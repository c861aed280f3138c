/// The nearest k-means centre of a row, found without projecting the row into PCA space:
/// how every row is segmented (`SegmentModel`, the trainer's tables and the scorer's records).
///
/// With z = P(x − μ) the row's PCA coordinates,
///
///     ‖z − c_k‖² = ‖z‖² + ‖c_k‖² − 2 c_k·P(x − μ) = ‖z‖² + ‖c_k‖² − 2 (Pᵀc_k)·(x − μ).
///
/// ‖z‖² is the same for every centre, so the nearest centre minimises
/// `score_k = ‖c_k‖² − 2 w_k·(x − μ)` with `w_k = Pᵀc_k`, a p-vector per cluster folded once
/// here. A row then costs k dot products of length p instead of the d × p of the projection
/// (10 × 438 instead of 254 × 438 for the full MAILOUT model).
///
/// Numerics: dropping ‖z‖² removes the largest term of every distance, so the scores are no
/// less accurate than the explicit distances; the two differ only by rounding (the products
/// are summed in another order), which can change the answer only when two centres are equally
/// near to within that rounding, where either answer is as good. The scores are a deterministic
/// function of the row (fixed fold order, fixed summation order, no fused multiply-add), so the
/// trainer and the scorer, which both call ``nearest(_:)``, agree bit for bit. Exact ties go to
/// the lower index, as with ``SegmentCentroids/nearest(_:)`` and scikit-learn.
public struct FoldedCentroids: Sendable {
    typealias Lanes = SIMD16<Double>
    static let width = 16

    /// Number of features a row has (p).
    public let inputDimension: Int
    /// Number of centres (k).
    public let count: Int
    private let blocks: Int
    private let mean: [Double]
    /// `blocks × p` lanes: lane `c` of entry `b * p + j` is `w_{16b + c}[j]`, zero past the last centre.
    private let weights: [Lanes]
    /// ‖c_k‖², padded like `weights`.
    private let squaredNorms: [Double]

    public init(projection: PCAProjection, centroids: SegmentCentroids) {
        precondition(centroids.dimension == projection.outputDimension,
                     "FoldedCentroids: centroids have \(centroids.dimension) coordinates, PCA keeps \(projection.outputDimension)")
        let p = projection.inputDimension
        let d = projection.outputDimension
        let k = centroids.count
        inputDimension = p
        count = k
        blocks = (k + Self.width - 1) / Self.width
        mean = projection.mean
        var weights = [Lanes](repeating: Lanes(repeating: 0), count: blocks * p)
        var norms = [Double](repeating: 0, count: blocks * Self.width)
        let axes = projection.components.values
        let centres = centroids.centroids.values
        for c in 0..<k {
            let block = c / Self.width
            let lane = c % Self.width
            var norm = 0.0
            for a in 0..<d { norm += centres[c * d + a] * centres[c * d + a] }
            norms[c] = norm
            for j in 0..<p {
                var w = 0.0
                for a in 0..<d { w += centres[c * d + a] * axes[a * p + j] }
                weights[block * p + j][lane] = w
            }
        }
        self.weights = weights
        self.squaredNorms = norms
    }

    /// The index of the centre nearest to the row of scaled features `row` (length p).
    @inline(__always)
    public func nearest(_ row: UnsafeBufferPointer<Double>) -> Int {
        precondition(row.count == inputDimension, "FoldedCentroids.nearest: \(row.count) values for \(inputDimension) features")
        let p = inputDimension
        var best = 0
        var bestScore = Double.infinity
        mean.withUnsafeBufferPointer { mean in
            weights.withUnsafeBufferPointer { weights in
                for b in 0..<blocks {
                    var sum = Lanes(repeating: 0)
                    let block = weights.baseAddress! + b * p
                    for j in 0..<p {
                        let centred = row[j] - mean[j]
                        sum = sum + Lanes(repeating: centred) * block[j]
                    }
                    let first = b * Self.width
                    for lane in 0..<min(Self.width, count - first) {
                        let score = squaredNorms[first + lane] - 2 * sum[lane]
                        if score < bestScore {
                            bestScore = score
                            best = first + lane
                        }
                    }
                }
            }
        }
        return best
    }

    public func nearest(_ row: [Double]) -> Int {
        row.withUnsafeBufferPointer { nearest($0) }
    }
}
