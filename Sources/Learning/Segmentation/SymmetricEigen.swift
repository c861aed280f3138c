import Foundation
import ModelFormat
import Numerics

/// Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal
/// form, then implicit QL iterations with Wilkinson-style shifts.
///
/// Why this and not cyclic Jacobi: for p ≈ 400 the tridiagonal route costs about
/// (4/3 + 6) p³ flops once, where Jacobi needs several sweeps of ~4 p³ each; QL also
/// converges cubically with the shift, so a handful of iterations per eigenvalue suffice.
package enum SymmetricEigen {
    package struct Decomposition: Sendable, Hashable {
        /// Eigenvalues in descending order.
        package var eigenvalues: [Double]
        /// Unit eigenvectors as rows, in the order of `eigenvalues`. Each row's
        /// largest-magnitude entry (first one on ties) is positive, so the result does not
        /// depend on arbitrary sign choices inside the solver.
        package var eigenvectors: Matrix
    }

    package enum Failure: Error, CustomStringConvertible, Equatable {
        case notSquare(rows: Int, columns: Int)
        case notSymmetric(row: Int, column: Int, upper: Double, lower: Double)
        case notFinite(row: Int, column: Int)
        case noConvergence(eigenvalue: Int, iterations: Int)

        package var description: String {
            switch self {
            case let .notSquare(rows, columns):
                return "eigen-decomposition needs a square matrix, got \(rows)x\(columns)"
            case let .notSymmetric(row, column, upper, lower):
                return "matrix is not symmetric: entry (\(row), \(column)) = \(upper) but (\(column), \(row)) = \(lower)"
            case let .notFinite(row, column):
                return "matrix entry (\(row), \(column)) is NaN or infinite; clean the input before decomposing"
            case let .noConvergence(eigenvalue, iterations):
                return "QL iteration did not converge for eigenvalue \(eigenvalue) after \(iterations) iterations"
            }
        }
    }

    /// Decomposes the symmetric matrix `a`. Symmetry is checked to a relative 1e-10 of
    /// the largest entry; the upper triangle is what is used.
    package static func decompose(_ a: Matrix) throws(Failure) -> Decomposition {
        let n = a.rows
        guard a.columns == n else { throw .notSquare(rows: a.rows, columns: a.columns) }
        if n == 0 { return Decomposition(eigenvalues: [], eigenvectors: Matrix(rows: 0, columns: 0)) }
        var largest = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let v = a[i, j]
                guard v.isFinite else { throw .notFinite(row: i, column: j) }
                largest = max(largest, abs(v))
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<n where abs(a[i, j] - a[j, i]) > 1e-10 * largest {
                throw .notSymmetric(row: i, column: j, upper: a[i, j], lower: a[j, i])
            }
        }
        // Work on a symmetric copy made from the upper triangle.
        var v = a
        for i in 0..<n { for j in 0..<i { v[i, j] = v[j, i] } }

        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = [Double](repeating: 0, count: n)
        tridiagonalize(&v, diagonal: &diagonal, offDiagonal: &offDiagonal)
        // QL rotates pairs of eigenvector columns; rows are contiguous, so it rotates rows of Qᵀ.
        var vectors = v
        try diagonalize(&vectors, diagonal: &diagonal, offDiagonal: &offDiagonal)

        let order = (0..<n).sorted { diagonal[$0] > diagonal[$1] || (diagonal[$0] == diagonal[$1] && $0 < $1) }
        var sorted = Matrix(rows: n, columns: n)
        for (target, source) in order.enumerated() {
            var maxIndex = 0
            var maxMagnitude = -1.0
            for k in 0..<n where abs(vectors[source, k]) > maxMagnitude {
                maxMagnitude = abs(vectors[source, k])
                maxIndex = k
            }
            let sign: Double = vectors[source, maxIndex] < 0 ? -1 : 1
            for k in 0..<n { sorted[target, k] = sign * vectors[source, k] }
        }
        return Decomposition(eigenvalues: order.map { diagonal[$0] }, eigenvectors: sorted)
    }

    /// Householder reduction: on return `v` holds Qᵀ, for the orthogonal Q with A = Q T Qᵀ,
    /// `diagonal` T's diagonal and `offDiagonal[i]` the entry T(i, i-1) (index 0 unused).
    ///
    /// The classic formulation (tred2) walks the columns of the lower triangle in its inner
    /// loops. It runs here on the column-major view `q[c * n + r]` = element (r, c) of the
    /// row-major storage, so those loops read contiguous memory: A is symmetric, so the
    /// input is the same in either order, and Q comes out transposed, which is the row
    /// layout the QL step rotates.
    private static func tridiagonalize(_ v: inout Matrix, diagonal d: inout [Double], offDiagonal e: inout [Double]) {
        let n = v.rows
        v.values.withUnsafeMutableBufferPointer { buffer in
            let q = buffer.baseAddress!
            for j in 0..<n { d[j] = q[j * n + n - 1] }
            // Reduce row i (working on its first i entries, held in d) for i = n-1 ... 1.
            for i in stride(from: n - 1, to: 0, by: -1) {
                var scale = 0.0
                var h = 0.0
                for k in 0..<i { scale += abs(d[k]) }
                if scale == 0 {
                    e[i] = d[i - 1]
                    for j in 0..<i {
                        d[j] = q[j * n + i - 1]
                        q[j * n + i] = 0
                        q[i * n + j] = 0
                    }
                } else {
                    // The Householder vector u (kept in d), scaled to avoid under/overflow.
                    for k in 0..<i {
                        d[k] /= scale
                        h += d[k] * d[k]
                    }
                    var f = d[i - 1]
                    var g = f > 0 ? -h.squareRoot() : h.squareRoot()
                    e[i] = scale * g
                    h -= f * g
                    d[i - 1] = f - g
                    for j in 0..<i { e[j] = 0 }
                    // e = A u (lower triangle of the leading block), storing u in column i.
                    for j in 0..<i {
                        f = d[j]
                        q[i * n + j] = f
                        g = e[j] + q[j * n + j] * f
                        if j + 1 <= i - 1 {
                            for k in (j + 1)...(i - 1) {
                                g += q[j * n + k] * d[k]
                                e[k] += q[j * n + k] * f
                            }
                        }
                        e[j] = g
                    }
                    // p = A u / h, K = uᵀp / 2h, r = p - K u; A -= u rᵀ + r uᵀ.
                    f = 0
                    for j in 0..<i {
                        e[j] /= h
                        f += e[j] * d[j]
                    }
                    let hh = f / (h + h)
                    for j in 0..<i { e[j] -= hh * d[j] }
                    for j in 0..<i {
                        f = d[j]
                        g = e[j]
                        for k in j...(i - 1) { q[j * n + k] -= f * e[k] + g * d[k] }
                        d[j] = q[j * n + i - 1]
                        q[j * n + i] = 0
                    }
                }
                d[i] = h
            }
            accumulateReflections(q, n: n, diagonal: &d)
            e[0] = 0
        }
    }

    /// tred2's second half: the reflections stored in `q` (with their `h` in `d`) multiplied
    /// out into Qᵀ; `d` then gets T's diagonal back.
    private static func accumulateReflections(_ q: UnsafeMutablePointer<Double>, n: Int, diagonal d: inout [Double]) {
        for i in 0..<(n - 1) {
            q[i * n + n - 1] = q[i * n + i]
            q[i * n + i] = 1
            let h = d[i + 1]
            if h != 0 {
                for k in 0...i { d[k] = q[(i + 1) * n + k] / h }
                for j in 0...i {
                    var g = 0.0
                    for k in 0...i { g += q[(i + 1) * n + k] * q[j * n + k] }
                    for k in 0...i { q[j * n + k] -= g * d[k] }
                }
            }
            for k in 0...i { q[(i + 1) * n + k] = 0 }
        }
        for j in 0..<n {
            d[j] = q[j * n + n - 1]
            q[j * n + n - 1] = 0
        }
        q[(n - 1) * n + n - 1] = 1
    }

    /// Implicit QL on the tridiagonal (d, e); `vectors` rows are the current eigenvector
    /// estimates (rows of Qᵀ), rotated along.
    private static func diagonalize(_ vectors: inout Matrix, diagonal d: inout [Double], offDiagonal e: inout [Double]) throws(Failure) {
        let n = d.count
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        let epsilon = Double.ulpOfOne
        var shiftTotal = 0.0
        var norm = 0.0
        let maxIterations = 60
        try vectors.values.withUnsafeMutableBufferPointer { (w) throws(Failure) in
            for l in 0..<n {
                norm = max(norm, abs(d[l]) + abs(e[l]))
                // Find the first negligible off-diagonal at or after l: the block l...m splits off.
                var m = l
                while m < n - 1 && abs(e[m]) > epsilon * norm { m += 1 }
                var iterations = 0
                while m > l {
                    iterations += 1
                    if iterations > maxIterations { throw .noConvergence(eigenvalue: l, iterations: maxIterations) }
                    // Shift: the eigenvalue of the leading 2x2 closer to d[l].
                    let g0 = d[l]
                    var p = (d[l + 1] - g0) / (2 * e[l])
                    var r = hypot(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g0 - d[l]
                    if l + 2 < n { for i in (l + 2)..<n { d[i] -= h } }
                    shiftTotal += h
                    // Chase the bulge with Givens rotations from m-1 down to l.
                    p = d[m]
                    var c = 1.0, c2 = 1.0, c3 = 1.0
                    let el1 = e[l + 1]
                    var s = 0.0, s2 = 0.0
                    for i in stride(from: m - 1, through: l, by: -1) {
                        c3 = c2
                        c2 = c
                        s2 = s
                        let g = c * e[i]
                        h = c * p
                        r = hypot(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        let rowI = w.baseAddress! + i * n
                        let rowNext = rowI + n
                        for k in 0..<n {
                            let next = rowNext[k]
                            let current = rowI[k]
                            rowNext[k] = s * current + c * next
                            rowI[k] = c * current - s * next
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                    if abs(e[l]) <= epsilon * norm { break }
                }
                d[l] += shiftTotal
                e[l] = 0
            }
        }
    }
}
