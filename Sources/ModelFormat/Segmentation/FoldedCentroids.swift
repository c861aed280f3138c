import Foundation
import Numerics

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
    typealias Lanes = SIMD4<Double>
    static let width = 4

    /// Number of features a row has (p).
    public let inputDimension: Int
    /// Number of centres (k).
    public let count: Int
    private let groups: Int
    private let mean: [Double]
    /// `groups × p × 4`: entry `(g p + j) 4 + l` is `w_{4g + l}[j]`, zero past the last centre.
    private let weights: [Double]
    /// ‖c_k‖², padded like `weights`.
    private let squaredNorms: [Double]
    /// The AVX kernel (same bits as the loop below; it only does four lanes per instruction).
    /// Settable for tests that compare the two.
    var useAVX: Bool

    /// Folds `centroids` back through `projection` once, so each row's segment needs no
    /// projection; the centroids must have the projection's output dimension.
    public init(projection: PCAProjection, centroids: SegmentCentroids) {
        precondition(centroids.dimension == projection.outputDimension,
                     "FoldedCentroids: centroids have \(centroids.dimension) coordinates, PCA keeps \(projection.outputDimension)")
        let p = projection.inputDimension
        let d = projection.outputDimension
        let k = centroids.count
        inputDimension = p
        count = k
        groups = (k + Self.width - 1) / Self.width
        mean = projection.mean
        var weights = [Double](repeating: 0, count: groups * p * Self.width)
        var norms = [Double](repeating: 0, count: groups * Self.width)
        let axes = projection.components.values
        let centres = centroids.centroids.values
        for c in 0..<k {
            let group = c / Self.width
            let lane = c % Self.width
            var norm = 0.0
            for a in 0..<d { norm += centres[c * d + a] * centres[c * d + a] }
            norms[c] = norm
            for j in 0..<p {
                var w = 0.0
                for a in 0..<d { w += centres[c * d + a] * axes[a * p + j] }
                weights[(group * p + j) * Self.width + lane] = w
            }
        }
        self.weights = weights
        self.squaredNorms = norms
        useAVX = GramKernel.best == .avx2FMA
    }

    /// The index of the centre nearest to the row of scaled features `row` (length p).
    @inline(__always)
    public func nearest(_ row: UnsafeBufferPointer<Double>) -> Int {
        precondition(row.count == inputDimension, "FoldedCentroids.nearest: \(row.count) values for \(inputDimension) features")
        // Up to 16 centres on the stack; more (a k-range scan's top) on the heap.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: groups * Self.width) { dots in
            self.dots(row, into: dots.baseAddress!)
            var best = 0
            var bestScore = Double.infinity
            for c in 0..<count {
                let score = squaredNorms[c] - 2 * dots[c]
                if score < bestScore {
                    bestScore = score
                    best = c
                }
            }
            return best
        }
    }

    /// `w_k·(row − μ)` for every centre lane, each summed in feature order.
    @inline(__always)
    func dots(_ row: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let p = inputDimension
        mean.withUnsafeBufferPointer { mean in
            weights.withUnsafeBufferPointer { weights in
                if useAVX {
                    DenseKernels.foldedDotsAVX(row.baseAddress!, mean: mean.baseAddress!, weights: weights.baseAddress!, features: p, groups: groups, into: out)
                    return
                }
                let lanes = UnsafeRawPointer(weights.baseAddress!)
                for g in 0..<groups {
                    var sum = Lanes(repeating: 0)
                    for j in 0..<p {
                        let w = lanes.loadUnaligned(fromByteOffset: ((g * p + j) * Self.width) * 8, as: Lanes.self)
                        sum = sum + Lanes(repeating: row[j] - mean[j]) * w
                    }
                    for l in 0..<Self.width { out[g * Self.width + l] = sum[l] }
                }
            }
        }
    }

    /// Adds feature j's term of centre c's dot product, `w_c[j]·(row[j] − μ[j])` (how much the
    /// row's value of that feature pulls it towards the centre), to `sums[groups[j]]` for every
    /// feature: the segment part of the reason codes.
    public func addPulls(
        _ row: UnsafeBufferPointer<Double>, centre c: Int, groups: UnsafeBufferPointer<Int32>,
        into sums: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(row.count >= inputDimension && groups.count >= inputDimension && c < count)
        let lane = c % Self.width
        let base = (c / Self.width) * inputDimension
        weights.withUnsafeBufferPointer { weights in
            mean.withUnsafeBufferPointer { mean in
                for j in 0..<inputDimension {
                    sums[Int(groups[j])] += weights[(base + j) * Self.width + lane] * (row[j] - mean[j])
                }
            }
        }
    }

    /// The nearest centre to a standardised row held in an array.
    public func nearest(_ row: [Double]) -> Int {
        row.withUnsafeBufferPointer { nearest($0) }
    }
}
