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

    @Test func matchesNumpyOnFixture() throws {
        let fit = try PCA.fit(Self.fixture, components: .fixed(4))
        let projection = fit.projection
        for j in 0..<4 { #expect(Self.close(projection.mean[j], Self.mean[j])) }
        for c in 0..<4 {
            #expect(Self.close(projection.explainedVariance[c], Self.eigenvalues[c]))
            #expect(Self.close(projection.explainedVarianceRatio[c], Self.ratios[c]))
            for j in 0..<4 { #expect(Self.close(projection.components[c, j], Self.components[c][j]), "component \(c), feature \(j)") }
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
            for c in 0..<2 { #expect(Self.close(projected[c], Self.firstTwoRowsProjected[r][c])) }
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
            for c in 0..<7 { #expect(abs(batch[r, c] - single[c]) < 1e-12) }
        }
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
        // 1 000 rows (7 full 128-row blocks and a partial one), 43 columns: 11 panels, so the
        // AVX2 kernel runs its 4 x 8 tiles and its odd 4 x 4 tile on every row of tiles.
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
                #expect(abs(avx[i, j] - sse[i, j]) <= 1e-12 * scale, "entry \(i), \(j)")
                #expect(abs(avx[i, j] - naive[i][j]) <= 1e-12 * scale, "entry \(i), \(j)")
                #expect(abs(sse[i, j] - naive[i][j]) <= 1e-12 * scale, "entry \(i), \(j)")
            }
        }
    }

    @Test(.enabled(if: GramKernel.isSupported(.avx2FMA), "this CPU lacks AVX2 + FMA"))
    func avx2TransformMatchesPerRowProjection() throws {
        // 203 rows (not a multiple of the 4-row panels or the 64-row blocks) x 43 columns onto
        // 9 components (an odd number of 4-wide panels, the last one partial).
        var generator = SplitMix64(seed: 5)
        let data = Matrix(rows: 203, columns: 43, values: (0..<(203 * 43)).map { _ in generator.nextUnit() * 4 })
        let projection = try PCA.fit(data, components: .fixed(9)).projection
        let avx = PCA.transform(data, with: projection, kernel: .avx2FMA)
        let sse = PCA.transform(data, with: projection, kernel: .sse2)
        #expect(avx.rows == 203 && avx.columns == 9)
        for r in 0..<203 {
            let single = projection.project(data.row(r))
            for c in 0..<9 {
                #expect(abs(avx[r, c] - single[c]) < 1e-12, "row \(r), component \(c)")
                #expect(abs(avx[r, c] - sse[r, c]) < 1e-12, "row \(r), component \(c)")
            }
        }
    }

    @Test func fitFromMeanAndCovarianceIsTheEigenPartOfFit() throws {
        let (mean, covariance) = try PCA.meanAndCovariance(Self.fixture)
        let fit = try PCA.fit(mean: mean, covariance: covariance, components: .fixed(4))
        for c in 0..<4 { #expect(Self.close(fit.projection.explainedVariance[c], Self.eigenvalues[c])) }
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
