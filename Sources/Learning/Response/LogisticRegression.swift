import Concurrency
import Foundation
import ModelFormat
import Numerics

/// Settings of `LogisticRegression`, in scikit-learn's convention.
package struct LogisticParameters: Sendable, Hashable, Codable {
    /// Inverse L2 strength: minimises `C · Σ logloss + ½‖w‖²` (intercept unpenalised), as
    /// `sklearn.linear_model.LogisticRegression(C=...)` does.
    package var c: Double = 1
    /// L-BFGS stops when the largest gradient component of the per-row objective is below this.
    package var tolerance: Double = 1e-8
    package var maxIterations: Int = 500
    /// Correction pairs kept by L-BFGS.
    package var memory: Int = 10

    package init() {}
}

/// L2-regularised logistic regression on standardised features, fitted with L-BFGS; the
/// baseline the boosted trees must beat. Deterministic: gradients are summed over a fixed
/// number of row chunks in chunk order.
package struct LogisticRegression: Sendable {
    package var parameters: LogisticParameters

    package init(parameters: LogisticParameters = LogisticParameters()) { self.parameters = parameters }

    /// Row chunks of a gradient pass: fixed, so the sums do not depend on the core count.
    static let chunks = 4

    /// Fits on `rows` of `features` (all rows if nil), row-major with NaN = missing.
    ///
    /// `warmStart`, a model fitted on similar rows (an earlier fold), is where L-BFGS starts
    /// instead of zero: its linear score, carried over to this fit's scaling, is close to the
    /// optimum, so far fewer iterations reach the tolerance. The objective is strictly convex,
    /// so the optimum is the same from any start; only where within the tolerance the
    /// iterations stop differs.
    package func fit(
        _ features: Matrix, labels: [UInt8], rows: [Int]? = nil, warmStart: LogisticModel? = nil
    ) throws(ResponseModelError) -> LogisticModel {
        guard parameters.c > 0 else {
            throw .invalidParameter(name: "c", value: "\(parameters.c)", expected: "greater than 0")
        }
        guard labels.count == features.rows else {
            throw .labelCountMismatch(rows: features.rows, labels: labels.count)
        }
        let rows = rows ?? Array(0..<features.rows)
        let y = rows.map { labels[$0] }
        try ResponseModelError.validate(labels: y, rows: rows.count)
        let p = features.columns
        let n = rows.count

        // Standardise on the fitting rows as mean imputation followed by standardisation would
        // (scikit-learn's SimpleImputer + StandardScaler): the mean of the present values, and the
        // population deviation over all rows, imputed ones contributing zero.
        var means = [Double](repeating: 0, count: p)
        var scales = [Double](repeating: 1, count: p)
        var present = [Int](repeating: 0, count: p)
        for r in rows {
            for j in 0..<p {
                let x = features.values[r * p + j]
                if !x.isNaN { means[j] += x; present[j] += 1 }
            }
        }
        for j in 0..<p { means[j] = present[j] > 0 ? means[j] / Double(present[j]) : 0 }
        var squares = [Double](repeating: 0, count: p)
        for r in rows {
            for j in 0..<p {
                let x = features.values[r * p + j]
                if !x.isNaN { squares[j] += (x - means[j]) * (x - means[j]) }
            }
        }
        for j in 0..<p where present[j] > 0 {
            let sd = (squares[j] / Double(n)).squareRoot()
            scales[j] = sd > 0 ? sd : 1
        }
        var z = [Double](repeating: 0, count: n * p)
        for (i, r) in rows.enumerated() {
            for j in 0..<p {
                let x = features.values[r * p + j]
                z[i * p + j] = x.isNaN ? 0 : (x - means[j]) / scales[j]
            }
        }

        let objective = LogisticObjective(z: z, labels: y, columns: p, penalty: 1 / (parameters.c * Double(n)))
        var start = [Double](repeating: 0, count: p + 1)
        if let warmStart, warmStart.featureCount == p {
            // w'·(x − m')/s' + b' written on this fit's z = (x − m)/s.
            var intercept = warmStart.intercept
            for j in 0..<p {
                let weight = warmStart.weights[j] / warmStart.scales[j]
                start[j] = weight * scales[j]
                intercept += weight * (means[j] - warmStart.means[j])
            }
            start[p] = intercept
        }
        let solution = LBFGS.minimize(start: start, memory: parameters.memory,
                                      tolerance: parameters.tolerance, maxIterations: parameters.maxIterations) {
            objective.valueAndGradient($0)
        }
        return LogisticModel(means: means, scales: scales, weights: Array(solution[0..<p]), intercept: solution[p])
    }
}

/// Mean log-loss plus `penalty/2 · ‖w‖²` over standardised rows; parameters are the weights
/// followed by the intercept.
struct LogisticObjective: Sendable {
    let z: [Double]
    let labels: [UInt8]
    let columns: Int
    let penalty: Double

    func valueAndGradient(_ theta: [Double]) -> (Double, [Double]) {
        let p = columns
        let n = labels.count
        let partials = z.withUnsafeBufferPointer { zb in
            let zs = SendableBuffer(zb)
            return Parallel.map(count: n, workers: LogisticRegression.chunks) { _, range -> (Double, [Double]) in
                var loss = 0.0
                var gradient = [Double](repeating: 0, count: p + 1)
                theta.withUnsafeBufferPointer { w in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for i in range {
                            let row = zs.buffer.baseAddress! + i * p
                            let s = w[p] + DenseKernels.dot(w.baseAddress!, row, count: p)
                            let y = Double(labels[i])
                            // log(1 + e^s) − y·s, computed without overflow.
                            loss += (s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))) - y * s
                            let residual = Logistic.sigmoid(s) - y
                            for j in 0..<p { g[j] += residual * row[j] }
                            g[p] += residual
                        }
                    }
                }
                return (loss, gradient)
            }
        }
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: p + 1)
        for (l, g) in partials {
            loss += l
            for j in 0...p { gradient[j] += g[j] }
        }
        let scale = 1 / Double(n)
        loss *= scale
        for j in 0...p { gradient[j] *= scale }
        for j in 0..<p {
            loss += 0.5 * penalty * theta[j] * theta[j]
            gradient[j] += penalty * theta[j]
        }
        return (loss, gradient)
    }
}

/// Limited-memory BFGS with a backtracking (Armijo) line search: enough for smooth convex
/// objectives such as regularised log-loss.
enum LBFGS {
    static func minimize(start: [Double], memory: Int, tolerance: Double, maxIterations: Int,
                         _ f: ([Double]) -> (Double, [Double])) -> [Double] {
        let d = start.count
        var x = start
        var (fx, g) = f(x)
        var ss: [[Double]] = []
        var ys: [[Double]] = []
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for i in 0..<a.count { s += a[i] * b[i] }
            return s
        }
        for _ in 0..<maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) < tolerance { break }
            // Two-loop recursion: direction = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: ss.count)
            for k in stride(from: ss.count - 1, through: 0, by: -1) {
                let rho = 1 / dot(ys[k], ss[k])
                alphas[k] = rho * dot(ss[k], q)
                for i in 0..<d { q[i] -= alphas[k] * ys[k][i] }
            }
            if let s = ss.last, let y = ys.last {
                let gamma = dot(s, y) / dot(y, y)
                for i in 0..<d { q[i] *= gamma }
            }
            for k in 0..<ss.count {
                let rho = 1 / dot(ys[k], ss[k])
                let beta = rho * dot(ys[k], q)
                for i in 0..<d { q[i] += ss[k][i] * (alphas[k] - beta) }
            }
            var direction = q.map { -$0 }
            var slope = dot(direction, g)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                ss.removeAll()
                ys.removeAll()
                direction = g.map { -$0 }
                slope = dot(direction, g)
            }
            var step = 1.0
            var accepted = false
            var next = x
            var fNext = fx
            var gNext = g
            for _ in 0..<60 {
                for i in 0..<d { next[i] = x[i] + step * direction[i] }
                (fNext, gNext) = f(next)
                if fNext <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            if !accepted { break }
            let s = (0..<d).map { next[$0] - x[$0] }
            let y = (0..<d).map { gNext[$0] - g[$0] }
            if dot(s, y) > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                ss.append(s)
                ys.append(y)
                if ss.count > memory { ss.removeFirst(); ys.removeFirst() }
            }
            let improvement = fx - fNext
            x = next
            fx = fNext
            g = gNext
            if improvement == 0 { break }
        }
        return x
    }
}
