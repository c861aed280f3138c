import Testing
@testable import Learning
import ModelFormat
import Numerics

@Suite struct CovarianceAccumulatorTests {
    static func feed(_ data: Matrix, blocks: [Int], into accumulator: inout CovarianceAccumulator) throws(SegmentationError) {
        var start = 0
        for size in blocks {
            let slice = Array(data.values[(start * data.columns)..<((start + size) * data.columns)])
            try slice.withUnsafeBufferPointer { (rows) throws(SegmentationError) in
                try accumulator.add(rows: rows, count: size)
            }
            start += size
        }
        precondition(start == data.rows, "blocks must cover the matrix")
    }

    /// Random columns with different offsets and spreads.
    static func sample(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var generator = SplitMix64(seed: seed)
        var values = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { values[i * columns + j] = Double(j % 5) + generator.nextUnit() * Double(1 + j % 3) }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }

    @Test(arguments: [GramKernel.sse2, .avx2FMA].filter(GramKernel.isSupported))
    func unevenBlocksMatchTwoPassCovariance(kernel: GramKernel) throws {
        // 5 000 rows x 37 columns (not a multiple of the 4-wide panels); blocks of 1 row, of
        // 2 047 rows (split over all chunks) and uneven rest.
        let data = Self.sample(rows: 5000, columns: 37, seed: 21)
        let (mean, covariance) = try PCA.meanAndCovariance(data, kernel: .sse2)
        // The caller's shift: rough column means, as the population means of the features.
        let shift = (0..<37).map { Double($0 % 5) + 0.5 }
        var accumulator = CovarianceAccumulator(columns: 37, shift: shift, kernel: kernel)
        try Self.feed(data, blocks: [1, 2047, 130, 7, 2815], into: &accumulator)
        #expect(accumulator.rows == 5000)
        let (streamedMean, streamed) = try accumulator.finish()
        for i in 0..<37 {
            #expect(abs(streamedMean[i] - mean[i]) <= 1e-12 * abs(mean[i]), "mean \(i)")
            for j in 0..<37 {
                // Relative to the entry's scale: the products summed are of rows less the shift, so
                // √((C_ii + (μ_i − s_i)²)(C_jj + (μ_j − s_j)²)); off-diagonal entries can be near 0.
                // Both sides sum Float32 products (PCATests.float32GramBound).
                let spread = { (c: Int) in covariance[c, c] + (mean[c] - shift[c]) * (mean[c] - shift[c]) }
                let scale = (spread(i) * spread(j)).squareRoot()
                #expect(abs(streamed[i, j] - covariance[i, j]) <= 2 * PCATests.float32GramBound * scale, "entry \(i), \(j)")
            }
        }
    }

    @Test func matchesNumpyOnFixtureWithoutShift() throws {
        var accumulator = CovarianceAccumulator(columns: 4)
        try Self.feed(PCATests.fixture, blocks: [3, 3, 4], into: &accumulator)
        let (mean, covariance) = try accumulator.finish()
        // np.cov(X, rowvar=False)[0].tolist() and [3].tolist() on PCATests.fixture.
        let firstRow = [0.6165555555555555, 0.6154444444444443, -0.3956666666666667, -0.256]
        for j in 0..<4 {
            #expect(PCATests.close(mean[j], PCATests.mean[j], relative: 1e-12))
            // Float32 products of uncentred rows (means about 1.5, spreads about 0.8): relative
            // to √(C_00 C_jj) and the products' spread, 1e-6 (PCATests.float32GramBound).
            #expect(abs(covariance[0, j] - firstRow[j]) <= 1e-6 * (covariance[0, 0] * covariance[j, j]).squareRoot())
            #expect(covariance[j, 0] == covariance[0, j])
        }
        let fit = try PCA.fit(mean: mean, covariance: covariance, components: .fixed(4))
        for c in 0..<4 { #expect(PCATests.closeEigenvalue(fit.projection.explainedVariance[c], PCATests.eigenvalues[c])) }
    }

    @Test func refusesNonFiniteNamingRowOverAllBlocks() throws {
        var accumulator = CovarianceAccumulator(columns: 4)
        try Self.feed(Matrix(rows: 5, columns: 4, values: Array(PCATests.fixture.values[0..<20])), blocks: [5], into: &accumulator)
        var bad = Array(PCATests.fixture.values[20..<40])
        bad[2 * 4 + 1] = .infinity
        do {
            try bad.withUnsafeBufferPointer { (rows) throws(SegmentationError) in try accumulator.add(rows: rows, count: 5) }
            Issue.record("accepted an infinity")
        } catch {
            #expect(error == .notFinite(row: 7, column: 1, value: .infinity))
            #expect(error.description.contains("row 7, column 1"))
        }
        #expect(accumulator.rows == 5)
    }

    @Test func needsTwoRows() throws {
        var accumulator = CovarianceAccumulator(columns: 4)
        #expect(throws: SegmentationError.emptyInput(rows: 0, columns: 4)) { try accumulator.finish() }
        try Self.feed(Matrix(rows: 1, columns: 4, values: Array(PCATests.fixture.values[0..<4])), blocks: [1], into: &accumulator)
        #expect(throws: SegmentationError.emptyInput(rows: 1, columns: 4)) { try accumulator.finish() }
    }
}
