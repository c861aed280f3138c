import Concurrency
import ModelFormat
import Numerics

/// Column means and sample covariance of rows fed in blocks, so a caller can stream a matrix
/// (from disk, or as it is cleaned) without ever holding all of it.
///
/// One pass, with a shift s subtracted from every row before accumulating:
/// cov = (Σ(x−s)(x−s)ᵀ − n·(μ−s)(μ−s)ᵀ) / (n−1). With s near the column means (the
/// population means, ~0 for standardised features) the subtraction loses no digits, as the
/// two-pass `PCA.meanAndCovariance` does not; with s far from them it cancels like plain XᵀX.
///
/// The result depends only on the rows and how they were split into `add` calls, not on the
/// machine: each call splits its block into a fixed number of chunks whose partial sums are
/// added in chunk order.
package struct CovarianceAccumulator: Sendable {
    package let columns: Int
    private let shift: [Double]
    private let kernel: GramKernel
    private var count = 0
    /// Σ(x−s)(x−s)ᵀ as whole 4 x 4 tiles on and above the diagonal, padded x padded.
    private var upper: [Double]
    /// Σ(x−s) per column.
    private var sums: [Double]

    /// `shift` (one value per column) is subtracted from every row; nil means zeros.
    package init(columns: Int, shift: [Double]? = nil) {
        self.init(columns: columns, shift: shift, kernel: .best)
    }

    /// With the Gram micro-kernel named, so tests can compare kernels.
    init(columns: Int, shift: [Double]?, kernel: GramKernel) {
        precondition(columns >= 0, "CovarianceAccumulator: negative column count \(columns)")
        precondition(shift == nil || shift!.count == columns,
                     "CovarianceAccumulator: shift has \(shift?.count ?? 0) values for \(columns) columns")
        self.columns = columns
        self.shift = shift ?? [Double](repeating: 0, count: columns)
        self.kernel = kernel
        let padded = (columns + 3) / 4 * 4
        upper = [Double](repeating: 0, count: padded * padded)
        sums = [Double](repeating: 0, count: columns)
    }

    /// Rows added so far.
    package var rows: Int { count }

    /// Adds `count` rows stored row-major (`count` x `columns`) in `rows`. Blocks of more than
    /// a few hundred rows are shared out over the cores. Refuses NaN and infinities, naming
    /// the row (counted over all rows added so far) and column; the accumulator is then
    /// unchanged.
    package mutating func add(rows block: UnsafeBufferPointer<Double>, count rowCount: Int) throws(SegmentationError) {
        let p = columns
        guard rowCount > 0 else { return }
        guard p > 0, let base = block.baseAddress, block.count >= rowCount * p else {
            throw .invalidParameter(
                name: "rows", value: "\(block.count) values", expected: "at least \(rowCount) x \(p) = \(rowCount * p) values")
        }
        let padded = (p + 3) / 4 * 4
        let x = SendablePointer(base: base)
        let shift = self.shift, kernel = self.kernel
        let partials: [(upper: [Double], sums: [Double], bad: Int?)] = Parallel.map(
            count: rowCount, workers: ReductionChunks.count, minimumChunk: DenseKernels.gramBlockRows
        ) { _, range in
            var upper = [Double](repeating: 0, count: padded * padded)
            var sums = [Double](repeating: 0, count: p)
            shift.withUnsafeBufferPointer { s in
                upper.withUnsafeMutableBufferPointer { c in
                    sums.withUnsafeMutableBufferPointer { t in
                        DenseKernels.accumulateCentredGram(
                            x.base, columns: p, rows: range, centre: s.baseAddress!,
                            upper: c.baseAddress!, sums: t.baseAddress!, kernel: kernel)
                    }
                }
            }
            // A NaN or infinity anywhere in the chunk reaches its column sum.
            var bad: Int? = nil
            if !sums.allSatisfy(\.isFinite) {
                bad = (range.lowerBound * p..<range.upperBound * p).first { !x.base[$0].isFinite }
            }
            return (upper, sums, bad)
        }
        for partial in partials {
            if let bad = partial.bad {
                throw .notFinite(row: count + bad / p, column: bad % p, value: base[bad])
            }
        }
        upper.withUnsafeMutableBufferPointer { c in
            for partial in partials {
                partial.upper.withUnsafeBufferPointer { u in
                    for index in 0..<c.count { c[index] += u[index] }
                }
            }
        }
        for partial in partials {
            for j in 0..<p { sums[j] += partial.sums[j] }
        }
        count += rowCount
    }

    /// Column means and the sample covariance (n − 1 denominator), as `PCA.meanAndCovariance`.
    package func finish() throws(SegmentationError) -> (mean: [Double], covariance: Matrix) {
        let n = count, p = columns
        guard n >= 2 && p >= 1 else { throw .emptyInput(rows: n, columns: p) }
        let padded = (p + 3) / 4 * 4
        let mean = (0..<p).map { shift[$0] + sums[$0] / Double(n) }
        var covariance = Matrix(rows: p, columns: p)
        let scale = 1 / Double(n - 1)
        for i in 0..<p {
            for j in i..<p {
                let value = (upper[i * padded + j] - sums[i] * sums[j] / Double(n)) * scale
                covariance[i, j] = value
                covariance[j, i] = value
            }
        }
        return (mean, covariance)
    }
}

/// The caller's row block, read (never written) by the chunks of one `add` while it waits.
private struct SendablePointer: @unchecked Sendable {
    let base: UnsafePointer<Double>
}
