import Foundation
import Testing
@testable import Learning
import ModelFormat
import Numerics

@Suite struct PCATests {
    /// Reference values from numpy 2.4 (np.cov uses the n - 1 denominator, like scikit-learn):
    ///   mu = X.mean(axis=0); C = np.cov(X, rowvar=False)
    ///   w, V = np.linalg.eigh(C); w, V = w[::-1], V[:, ::-1].T
    ///   V *= np.sign(V[np.arange(4), np.argmax(np.abs(V), axis=1)])[:, None]   # svd_flip
    ///   print(mu.tolist(), w.tolist(), (w / w.sum()).tolist(), V.tolist(), ((X[:2] - mu) @ V[:2].T).tolist())
    static let fixture = Matrix([
        [2.5, 2.4, 1.0, 0.5], [0.5, 0.7, 2.2, 1.5], [2.2, 2.9, 0.3, 0.1], [1.9, 2.2, 1.1, 0.9], [3.1, 3.0, 0.2, 0.4],
        [2.3, 2.7, 1.7, 1.2], [2.0, 1.6, 2.5, 2.0], [1.0, 1.1, 0.9, 0.3], [1.5, 1.6, 1.4, 1.1], [1.1, 0.9, 2.8, 2.4],
    ])
    static let mean = [1.81, 1.9099999999999997, 1.4100000000000001, 1.04]
    static let eigenvalues = [2.1080129601929976, 0.5283526283707466, 0.037840475274606995, 0.015905047272759095]
    static let ratios = [0.7836155731583572, 0.19640550391709227, 0.014066510159492094, 0.005912412765058523]
    static let components = [
        [-0.44629760024548454, -0.5342935328065401, 0.5633273155922521, 0.4449845034648455],
        [0.5842619796433898, 0.4234170817546934, 0.4464844501369978, 0.529157396062257],
        [-0.6409360834525798, 0.7254680975758747, 0.23937884385836605, -0.07479803099775087],
        [-0.22058406127092717, 0.09457502354790354, -0.6526957487271706, 0.718600373244835],
    ]
    static let firstTwoRowsProjected = [[-1.041005006508429, 0.14181151758395077], [1.8808664819292062, -0.681582744459153]]

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(b), 1e-300)
    }

    /// The covariance sums Float32 products (``float32GramBound``): an error ΔC of about 1e-7
    /// of the matrix moves every eigenvalue by at most ‖ΔC‖ (Weyl), so eigenvalues are compared
    /// to 1e-6 of the largest, ratios to 1e-6, and the unit eigenvectors' entries to 1e-5
    /// (‖ΔC‖ over the smallest gap between eigenvalues, 0.022 here: Davis–Kahan).
    static func closeEigenvalue(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * eigenvalues[0] }
    static func closeRatio(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 }
    static func closeComponent(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 }

    @Test func matchesNumpyOnFixture() throws {
        let fit = try PCA.fit(Self.fixture, components: .fixed(4))
        let projection = fit.projection
        for j in 0..<4 { #expect(Self.close(projection.mean[j], Self.mean[j])) }
        for c in 0..<4 {
            #expect(Self.closeEigenvalue(projection.explainedVariance[c], Self.eigenvalues[c]))
            #expect(Self.closeRatio(projection.explainedVarianceRatio[c], Self.ratios[c]))
            for j in 0..<4 { #expect(Self.closeComponent(projection.components[c, j], Self.components[c][j]), "component \(c), feature \(j)") }
        }
        #expect(fit.eigenvalues.count == 4)
    }

    @Test func varianceTargetKeepsFewestComponentsExceedingIt() throws {
        // Cumulative ratios: 0.7836, 0.9800, 0.9941, 1.
        #expect(try PCA.fit(Self.fixture, components: .explainedVariance(0.9)).projection.outputDimension == 2)
        #expect(try PCA.fit(Self.fixture, components: .explainedVariance(0.7)).projection.outputDimension == 1)
        #expect(try PCA.fit(Self.fixture, components: .explainedVariance(0.99)).projection.outputDimension == 3)
        #expect(try PCA.fit(Self.fixture, components: .explainedVariance(1.0)).projection.outputDimension == 4)
    }

    @Test func projectionOfRowsMatchesNumpy() throws {
        let projection = try PCA.fit(Self.fixture, components: .explainedVariance(0.9)).projection
        for r in 0..<2 {
            let projected = projection.project(Self.fixture.row(r))
            // Row norms are about 1: the components' tolerance.
            for c in 0..<2 { #expect(Self.closeComponent(projected[c], Self.firstTwoRowsProjected[r][c])) }
        }
    }

    @Test func batchTransformAgreesWithPerRowProjection() throws {
        // 37 rows x 11 columns: not multiples of the 4-wide panels, to exercise the edges.
        var generator = SplitMix64(seed: 3)
        let data = Matrix(rows: 37, columns: 11, values: (0..<(37 * 11)).map { _ in generator.nextUnit() * 10 })
        let projection = try PCA.fit(data, components: .fixed(7)).projection
        let batch = PCA.transform(data, with: projection)
        #expect(batch.rows == 37 && batch.columns == 7)
        for r in 0..<37 {
            let single = projection.project(data.row(r))
            for c in 0..<7 {
                #expect(abs(batch[r, c] - single[c]) <= Self.float32Bound(data.row(r), projection, component: c))
            }
        }
    }

    /// How far the batch projection (Float32 products, summed in Float32 over at most 128
    /// features) may be from the Float64 per-row one: the usual bound for a rounded dot product,
    /// (p + 2) units of Float32 rounding times Σ |x_j − μ_j| |v_j|, taken twice for safety.
    /// A misplaced element or a wrong layout is off by the size of a product, far beyond it.
    static func float32Bound(_ row: [Double], _ projection: PCAProjection, component c: Int) -> Double {
        let p = projection.inputDimension
        let magnitude = (0..<p).reduce(0.0) { $0 + abs(row[$1] - projection.mean[$1]) * abs(projection.components[c, $1]) }
        return Double(p + 2) * Double(Float.ulpOfOne) * magnitude
    }

    @Test func covarianceIsCentredAndUnbiased() throws {
        // Large offset: a one-pass XᵀX - nμμᵀ would lose digits here; the fixture's
        // covariance (numpy) must survive a shift by 1e8.
        let shifted = Matrix(rows: 10, columns: 4, values: Self.fixture.values.map { $0 + 1e8 })
        let (_, covariance) = try PCA.meanAndCovariance(shifted)
        // np.cov(X, rowvar=False)[0].tolist()
        let firstRow = [0.6165555555555555, 0.6154444444444443, -0.3956666666666667, -0.256]
        for j in 0..<4 { #expect(abs(covariance[0, j] - firstRow[j]) < 1e-7) }
    }

    /// How far a covariance entry from Float32 products (centred values rounded to Float32, summed
    /// in Float32 over at most 128 rows, then in Float64) may be from the Float64 one, relative
    /// to √(C_ii C_jj) (which bounds Σ|x_i x_j| / (n − 1) by Cauchy–Schwarz): the rounded dot
    /// product's (128 + 2) units of Float32 rounding, taken twice for safety (1.5e-5). A
    /// misplaced tile or operand is off by the size of the entry.
    static let float32GramBound = Double(128 + 2) * Double(Float.ulpOfOne)

    /// The plain two-pass sample covariance, one product at a time: the yardstick for both kernels.
    static func naiveCovariance(_ data: Matrix) -> [[Double]] {
        let n = data.rows, p = data.columns
        let mean = (0..<p).map { j in (0..<n).reduce(0.0) { $0 + data[$1, j] } / Double(n) }
        return (0..<p).map { i in
            (0..<p).map { j in
                (0..<n).reduce(0.0) { $0 + (data[$1, i] - mean[i]) * (data[$1, j] - mean[j]) } / Double(n - 1)
            }
        }
    }

    @Test(.enabled(if: GramKernel.isSupported(.avx2FMA), "this CPU lacks AVX2 + FMA"))
    func avx2KernelMatchesSSE2Kernel() throws {
        // 1 000 rows (3 full 256-row blocks of two 128-row Float32 runs, and a partial one), 43
        // columns: 8 panels of 6 and 3 of 16, the last of each partial, and tiles skipped below
        // the diagonal.
        var generator = SplitMix64(seed: 11)
        let data = Matrix(rows: 1000, columns: 43, values: (0..<(1000 * 43)).map { _ in generator.nextUnit() * 6 - 2 })
        let (sseMean, sse) = try PCA.meanAndCovariance(data, kernel: .sse2)
        let (avxMean, avx) = try PCA.meanAndCovariance(data, kernel: .avx2FMA)
        let naive = Self.naiveCovariance(data)
        #expect(sseMean == avxMean)
        for i in 0..<43 {
            for j in 0..<43 {
                // Relative to the entry's scale √(C_ii C_jj): off-diagonal entries can be near 0.
                let scale = (naive[i][i] * naive[j][j]).squareRoot()
                let bound = Self.float32GramBound * scale
                #expect(abs(avx[i, j] - sse[i, j]) <= 2 * bound, "entry \(i), \(j)")
                #expect(abs(avx[i, j] - naive[i][j]) <= bound, "entry \(i), \(j)")
                #expect(abs(sse[i, j] - naive[i][j]) <= bound, "entry \(i), \(j)")
            }
        }
    }

    @Test(.enabled(if: GramKernel.isSupported(.avx2FMA), "this CPU lacks AVX2 + FMA"))
    func avx2TransformMatchesPerRowProjection() throws {
        // 203 rows (not a multiple of the 6-row panels or the 96-row blocks) x 43 columns onto
        // 9 components (one 16-wide panel, partial).
        var generator = SplitMix64(seed: 5)
        let data = Matrix(rows: 203, columns: 43, values: (0..<(203 * 43)).map { _ in generator.nextUnit() * 4 })
        let projection = try PCA.fit(data, components: .fixed(9)).projection
        let avx = PCA.transform(data, with: projection, kernel: .avx2FMA)
        let sse = PCA.transform(data, with: projection, kernel: .sse2)
        #expect(avx.rows == 203 && avx.columns == 9)
        for r in 0..<203 {
            let single = projection.project(data.row(r))
            for c in 0..<9 {
                let bound = Self.float32Bound(data.row(r), projection, component: c)
                #expect(abs(avx[r, c] - single[c]) <= bound, "row \(r), component \(c)")
                #expect(abs(avx[r, c] - sse[r, c]) <= bound, "row \(r), component \(c)")
            }
        }
    }

    @Test func kMeansOnTheFloat32ProjectionFindsTheFloat64Clusters() throws {
        // Overlapping blobs (spread 7 around centres 10 apart) in 3 columns plus 37 of noise,
        // rotated by a PCA onto 30 components: many rows near a boundary. k-means on the batch
        // projection and on the Float64 per-row projections (PCAProjection.project, the
        // scorer's arithmetic) must give the same clusters and inertia.
        let data = KMeansTests.pcaShaped(perCluster: 500, spread: 7, seed: 21, noise: 1, noiseSeed: 22)
        let projection = try PCA.fit(data, components: .fixed(30)).projection
        let batch = PCA.transform(data, with: projection)
        let perRow = Matrix(rows: data.rows, columns: 30, values: (0..<data.rows).flatMap { projection.project(data.row($0)) })
        let configuration = KMeans.Configuration(clusterCount: 4, initializations: 3, seed: 5)
        let fromBatch = try KMeans.fit(batch, configuration)
        let fromRows = try KMeans.fit(perRow, configuration)
        #expect(ClusterMetrics.adjustedRandIndex(fromBatch.labels.map(Int.init), fromRows.labels.map(Int.init)) >= 0.999)
        #expect(abs(fromBatch.inertia - fromRows.inertia) <= 1e-6 * fromRows.inertia)
    }

    @Test(arguments: [GramKernel.sse2, .avx2FMA].filter(GramKernel.isSupported))
    func float32ProjectionSumsLongRowsInFloat64(kernel: GramKernel) throws {
        // 300 features: three Float32 runs (128, 128, 44) added in Float64; 20 components (a
        // full 16-wide panel and a partial one); 13 rows (two 6-row panels and a partial one).
        // Every product is 1 · 2⁻¹² ... exactly representable, and their sums too: any layout
        // or blocking error shows as a wrong value, not rounding.
        let p = 300, d = 20, n = 13
        var components = Matrix(rows: d, columns: p)
        for c in 0..<d { for j in 0..<p { components[c, j] = Double((c * 7 + j) % 5) / 4096 } }
        let projection = PCAProjection(
            mean: [Double](repeating: 1, count: p), components: components,
            explainedVariance: [Double](repeating: 1, count: d), explainedVarianceRatio: [Double](repeating: 0.01, count: d))
        let data = Matrix(rows: n, columns: p, values: (0..<(n * p)).map { 1 + Double(($0 % p + $0 / p) % 3) })
        let batch = PCA.transform(data, with: projection, kernel: kernel)
        for r in 0..<n {
            for c in 0..<d {
                let expected = (0..<p).reduce(0.0) { $0 + Double((r + $1) % 3) * Double((c * 7 + $1) % 5) / 4096 }
                #expect(batch[r, c] == expected, "row \(r), component \(c)")
            }
        }
    }

    @Test func fitFromMeanAndCovarianceIsTheEigenPartOfFit() throws {
        let (mean, covariance) = try PCA.meanAndCovariance(Self.fixture)
        let fit = try PCA.fit(mean: mean, covariance: covariance, components: .fixed(4))
        for c in 0..<4 { #expect(Self.closeEigenvalue(fit.projection.explainedVariance[c], Self.eigenvalues[c])) }
        #expect(throws: SegmentationError.self) {
            try PCA.fit(mean: [0, 0, 0], covariance: covariance, components: .fixed(2))
        }
    }

    @Test func refusesMissingValuesNamingRowAndColumn() {
        var data = Self.fixture
        data[6, 2] = .nan
        #expect(throws: SegmentationError.self) { try PCA.fit(data) }
        do {
            _ = try PCA.fit(data)
        } catch {
            guard case let .notFinite(row, column, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(row == 6 && column == 2)
            #expect(error.description.contains("row 6, column 2"))
        }
        #expect(throws: SegmentationError.invalidComponentCount(requested: 5, columns: 4)) {
            try PCA.fit(Self.fixture, components: .fixed(5))
        }
        #expect(throws: SegmentationError.emptyInput(rows: 1, columns: 4)) {
            try PCA.fit(Matrix(rows: 1, columns: 4))
        }
    }

    @Test func projectionSurvivesBundleRoundTrip() throws {
        let projection = try PCA.fit(Self.fixture, components: .explainedVariance(0.9)).projection
        let decoded = try PCAProjection(binary: projection.binaryEncoded())
        #expect(decoded == projection)
    }
}
