import Concurrency
import ModelFormat
import Numerics

/// Principal component analysis by eigen-decomposition of the sample covariance, as
/// scikit-learn's `PCA(svd_solver="covariance_eigh")`: n is large and p small (~400), so one
/// pass building the p x p covariance beats any SVD of the n x p data.
package enum PCA {
    /// How many components to keep.
    package enum ComponentCount: Sendable, Hashable {
        /// The fewest leading components whose cumulative explained-variance ratio exceeds
        /// the target (scikit-learn's rule for a float `n_components`).
        case explainedVariance(Double)
        case fixed(Int)
    }

    /// A fitted projection plus the whole spectrum, for reports and scree plots.
    package struct Fit: Sendable {
        package var projection: PCAProjection
        /// All p eigenvalues of the covariance, descending, negatives clamped to 0.
        package var eigenvalues: [Double]
    }

    package static func fit(_ data: Matrix, components: ComponentCount = .explainedVariance(0.9)) throws(SegmentationError) -> Fit {
        let (mean, covariance) = try meanAndCovariance(data)
        return try fit(mean: mean, covariance: covariance, components: components)
    }

    /// The eigen part of a fit, for a mean and covariance computed elsewhere (for instance by a
    /// `CovarianceAccumulator` fed blocks of rows that were never held together).
    package static func fit(mean: [Double], covariance: Matrix, components: ComponentCount = .explainedVariance(0.9)) throws(SegmentationError) -> Fit {
        let p = covariance.columns
        guard p >= 1 && covariance.rows == p && mean.count == p else {
            throw .invalidParameter(
                name: "covariance", value: "\(covariance.rows)x\(covariance.columns) with \(mean.count) means",
                expected: "a square matrix with one mean per column")
        }
        let decomposition: SymmetricEigen.Decomposition
        do {
            decomposition = try SymmetricEigen.decompose(covariance)
        } catch {
            throw .eigenSolverFailed(error.description)
        }
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
            // numpy.searchsorted(cumsum, target, side="right") + 1
            var cumulative = 0.0
            var atOrBelow = 0
            for ratio in ratios {
                cumulative += ratio
                if cumulative <= target { atOrBelow += 1 } else { break }
            }
            kept = min(atOrBelow + 1, p)
        }
        let axes = Matrix(rows: kept, columns: p, values: Array(decomposition.eigenvectors.values[0..<(kept * p)]))
        let projection = PCAProjection(
            mean: mean, components: axes,
            explainedVariance: Array(eigenvalues[0..<kept]),
            explainedVarianceRatio: Array(ratios[0..<kept]))
        return Fit(projection: projection, eigenvalues: eigenvalues)
    }

    /// Column means and the sample covariance (n - 1 denominator) of `data`.
    ///
    /// Two passes: means first, then XcᵀXc on centred rows, which avoids the cancellation of
    /// the one-pass XᵀX - n·μμᵀ when means are large against the spread. Each chunk of rows
    /// accumulates its own upper triangle; partial sums are added in chunk order.
    package static func meanAndCovariance(_ data: Matrix) throws(SegmentationError) -> (mean: [Double], covariance: Matrix) {
        try meanAndCovariance(data, kernel: .best)
    }

    /// `meanAndCovariance` with the Gram micro-kernel named, so tests can compare kernels.
    static func meanAndCovariance(_ data: Matrix, kernel: GramKernel) throws(SegmentationError) -> (mean: [Double], covariance: Matrix) {
        let n = data.rows, p = data.columns
        guard n >= 2 && p >= 1 else { throw .emptyInput(rows: n, columns: p) }
        let mean = try columnMeans(data)

        let padded = (p + 3) / 4 * 4
        let values = data.values
        let partials: [[Double]] = Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
            var upper = [Double](repeating: 0, count: padded * padded)
            var sums = [Double](repeating: 0, count: p)
            values.withUnsafeBufferPointer { x in
                mean.withUnsafeBufferPointer { mu in
                    upper.withUnsafeMutableBufferPointer { c in
                        sums.withUnsafeMutableBufferPointer { s in
                            DenseKernels.accumulateCentredGram(
                                x.baseAddress!, columns: p, rows: range, centre: mu.baseAddress!,
                                upper: c.baseAddress!, sums: s.baseAddress!, kernel: kernel)
                        }
                    }
                }
            }
            return upper
        }
        var covariance = Matrix(rows: p, columns: p)
        let scale = 1 / Double(n - 1)
        for i in 0..<p {
            for j in i..<p {
                var sum = 0.0
                for partial in partials { sum += partial[i * padded + j] }
                covariance[i, j] = sum * scale
                covariance[j, i] = sum * scale
            }
        }
        return (mean, covariance)
    }

    /// Column means, refusing NaN and infinities (named by row and column).
    static func columnMeans(_ data: Matrix) throws(SegmentationError) -> [Double] {
        let n = data.rows, p = data.columns
        let values = data.values
        let partials: [(sums: [Double], bad: Int?)] = Parallel.map(count: n, workers: ReductionChunks.count) { _, range in
            var sums = [Double](repeating: 0, count: p)
            var bad: Int? = nil
            values.withUnsafeBufferPointer { x in
                sums.withUnsafeMutableBufferPointer { s in
                    for i in range {
                        let row = x.baseAddress! + i * p
                        for j in 0..<p { s[j] += row[j] }
                    }
                }
                if !sums.allSatisfy(\.isFinite) {
                    bad = range.lazy.flatMap { i in (0..<p).lazy.map { i * p + $0 } }.first { !x[$0].isFinite }
                }
            }
            return (sums, bad)
        }
        var total = [Double](repeating: 0, count: p)
        for partial in partials {
            if let bad = partial.bad {
                throw .notFinite(row: bad / p, column: bad % p, value: values[bad])
            }
            for j in 0..<p { total[j] += partial.sums[j] }
        }
        return total.map { $0 / Double(n) }
    }

    /// Projects every row of `data` (n x p): the batch form of `PCAProjection.project`,
    /// blocked so each 4-component by 4-row tile is one micro-kernel call.
    package static func transform(_ data: Matrix, with projection: PCAProjection) -> Matrix {
        transform(data, with: projection, kernel: .best)
    }

    /// `transform` with the micro-kernel named, so tests can compare kernels.
    static func transform(_ data: Matrix, with projection: PCAProjection, kernel: GramKernel) -> Matrix {
        let n = data.rows, p = data.columns, d = projection.outputDimension
        precondition(p == projection.inputDimension, "PCA.transform: data has \(p) columns, projection expects \(projection.inputDimension)")
        // Every element is written by `project`, each row by one worker: no zeroing first.
        let output = data.values.withUnsafeBufferPointer { x in
            LargeBuffer.doubles(count: n * d) { out in
                project(rows: n, from: x.baseAddress!, with: projection, into: out, kernel: kernel)
            }
        }
        return Matrix(rows: n, columns: d, values: output)
    }

    /// Projects `rows` rows read from `values` (row-major, `projection.inputDimension` wide)
    /// into `output` (row-major, `projection.outputDimension` wide), on all cores: what
    /// `transform` does, for callers that own the memory (the trainer projects the population
    /// over the rows it was read into). `output` must not overlap `values`.
    package static func project(
        rows n: Int, from values: UnsafePointer<Double>, with projection: PCAProjection, into output: UnsafeMutablePointer<Double>
    ) {
        project(rows: n, from: values, with: projection, into: output, kernel: .best)
    }

    static func project(
        rows n: Int, from values: UnsafePointer<Double>, with projection: PCAProjection, into output: UnsafeMutablePointer<Double>,
        kernel: GramKernel
    ) {
        let p = projection.inputDimension, d = projection.outputDimension
        guard n > 0 else { return }
        let rowPanel = DenseKernels.projectionRowPanel
        let axes = packedAxes(projection)
        let mean = projection.mean
        let source = SendableBuffer(UnsafeBufferPointer(start: values, count: n * p))
        let target = DisjointWriteBuffer(base: output, count: n * d)
        _ = Parallel.map(count: (n + rowPanel - 1) / rowPanel, workers: ReductionChunks.count) { _, panelRange in
            // 96 rows: their packed Float32 copy (170 KB for p = 435) and the packed axes stay in L2.
            let blockPanels = 16
            let packed = UnsafeMutablePointer<Float>.allocate(capacity: blockPanels * rowPanel * p)
            defer { packed.deallocate() }
            let x = source.buffer.baseAddress!
            mean.withUnsafeBufferPointer { mu in
                axes.withUnsafeBufferPointer { v in
                    var firstPanel = panelRange.lowerBound
                    while firstPanel < panelRange.upperBound {
                        let panels = min(blockPanels, panelRange.upperBound - firstPanel)
                        let firstRow = firstPanel * rowPanel
                        let rows = min(panels * rowPanel, n - firstRow)
                        // Centred in Float64, then rounded once to Float32; rows past n are zero.
                        for r in 0..<rows {
                            let row = x + (firstRow + r) * p
                            let panel = packed + (r / rowPanel) * rowPanel * p + r % rowPanel
                            for j in 0..<p { panel[rowPanel * j] = Float(row[j] - mu[j]) }
                        }
                        for r in rows..<(panels * rowPanel) {
                            let panel = packed + (r / rowPanel) * rowPanel * p + r % rowPanel
                            for j in 0..<p { panel[rowPanel * j] = 0 }
                        }
                        DenseKernels.projectBlockFloat32(
                            packed, rowCount: rows, axes: v.baseAddress!, components: d, length: p,
                            into: target.base + firstRow * d, rowStride: d, kernel: kernel)
                        firstPanel += panels
                    }
                }
            }
            return 0
        }
    }

    /// The components as `DenseKernels.projectBlockFloat32` reads them: panels of 16
    /// components interleaved over features, rounded to Float32, missing components zero.
    private static func packedAxes(_ projection: PCAProjection) -> [Float] {
        let p = projection.inputDimension, d = projection.outputDimension
        let width = DenseKernels.projectionComponentPanel
        let panels = (d + width - 1) / width
        var packed = [Float](repeating: 0, count: panels * width * p)
        for c in 0..<d {
            for j in 0..<p {
                packed[(c / width) * width * p + j * width + c % width] = Float(projection.components[c, j])
            }
        }
        return packed
    }
}
