import Testing
@testable import Learning
import ModelFormat
import Numerics

@Suite struct SymmetricEigenTests {
    @Test func diagonalMatrixGivesItsEntriesSortedAndUnitVectors() throws {
        let a = Matrix([[1, 0, 0], [0, 5, 0], [0, 0, -2]])
        let result = try SymmetricEigen.decompose(a)
        #expect(result.eigenvalues == [5, 1, -2])
        #expect(result.eigenvectors == Matrix([[0, 1, 0], [1, 0, 0], [0, 0, 1]]))
    }

    @Test func twoByTwoMatchesClosedForm() throws {
        // [[a, b], [b, c]]: λ = (a + c)/2 ± sqrt(((a - c)/2)² + b²);
        // eigenvector of λ is (b, λ - a), normalised, sign so the larger entry is positive.
        let (a, b, c) = (4.0, 1.5, -1.0)
        let centre = (a + c) / 2, radius = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
        let result = try SymmetricEigen.decompose(Matrix([[a, b], [b, c]]))
        #expect(abs(result.eigenvalues[0] - (centre + radius)) < 1e-14)
        #expect(abs(result.eigenvalues[1] - (centre - radius)) < 1e-14)
        for (row, lambda) in [centre + radius, centre - radius].enumerated() {
            var v = [b, lambda - a]
            let norm = (v[0] * v[0] + v[1] * v[1]).squareRoot()
            v = v.map { $0 / norm }
            if abs(v[1]) > abs(v[0]) ? v[1] < 0 : v[0] < 0 { v = v.map { -$0 } }
            #expect(abs(result.eigenvectors[row, 0] - v[0]) < 1e-14)
            #expect(abs(result.eigenvectors[row, 1] - v[1]) < 1e-14)
        }
    }

    @Test func randomSymmetricMatrixHasTinyResidualAndOrthonormalVectors() throws {
        let n = 50
        var generator = SplitMix64(seed: 7)
        var a = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in i..<n {
                let value = 2 * generator.nextUnit() - 1
                a[i, j] = value
                a[j, i] = value
            }
        }
        let result = try SymmetricEigen.decompose(a)
        for index in 0..<(n - 1) { #expect(result.eigenvalues[index] >= result.eigenvalues[index + 1]) }
        // Trace is preserved.
        let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
        #expect(abs(result.eigenvalues.reduce(0, +) - trace) < 1e-12)
        var worstResidual = 0.0, worstOrthogonality = 0.0
        for e in 0..<n {
            let lambda = result.eigenvalues[e]
            for i in 0..<n {
                var product = 0.0
                for j in 0..<n { product += a[i, j] * result.eigenvectors[e, j] }
                worstResidual = max(worstResidual, abs(product - lambda * result.eigenvectors[e, i]))
            }
            for f in e..<n {
                var dot = 0.0
                for j in 0..<n { dot += result.eigenvectors[e, j] * result.eigenvectors[f, j] }
                worstOrthogonality = max(worstOrthogonality, abs(dot - (e == f ? 1 : 0)))
            }
        }
        #expect(worstResidual < 1e-12)
        #expect(worstOrthogonality < 1e-12)
    }

    @Test func largestComponentOfEachVectorIsPositive() throws {
        let a = Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let result = try SymmetricEigen.decompose(a)
        for row in 0..<3 {
            let entries = result.eigenvectors.row(row)
            let largest = entries.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
        // Known spectrum of this tridiagonal: 2 - 2cos(kπ/4), k = 3, 2, 1.
        let expected = [2 + 2.0.squareRoot(), 2, 2 - 2.0.squareRoot()]
        for (got, want) in zip(result.eigenvalues, expected) { #expect(abs(got - want) < 1e-14) }
    }

    @Test func rejectsBadInput() {
        #expect(throws: SymmetricEigen.Failure.notSquare(rows: 2, columns: 3)) {
            try SymmetricEigen.decompose(Matrix(rows: 2, columns: 3))
        }
        #expect(throws: SymmetricEigen.Failure.notFinite(row: 1, column: 0)) {
            try SymmetricEigen.decompose(Matrix([[1, 2], [.nan, 1]]))
        }
        #expect(throws: SymmetricEigen.Failure.notSymmetric(row: 0, column: 1, upper: 2, lower: 3)) {
            try SymmetricEigen.decompose(Matrix([[1, 2], [3, 1]]))
        }
    }
}
