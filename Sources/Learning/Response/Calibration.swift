import Foundation
import ModelFormat

/// One group of the reliability table: rows whose predicted probabilities fall in one decile.
package struct ReliabilityBin: Sendable, Hashable, Codable {
    package var count: Int
    package var lowestPredicted: Double
    package var highestPredicted: Double
    package var meanPredicted: Double
    /// Share of responders among the group's rows.
    package var observedRate: Double
}

/// Fitting calibrators on out-of-fold predictions, and measuring calibration.
package enum Calibration {
    /// Platt scaling: the (a, b) of `sigmoid(a · logit(p) + b)` of least log-loss, by Newton's
    /// method on the plain 0/1 labels (no target smoothing).
    package static func fitPlatt(probabilities: [Double], labels: [UInt8]) -> ProbabilityCalibrator {
        precondition(probabilities.count == labels.count)
        let f = probabilities.map(Logistic.logit)
        var a = 1.0
        var b = 0.0
        func loss(_ a: Double, _ b: Double) -> Double {
            var total = 0.0
            for (x, y) in zip(f, labels) {
                let s = a * x + b
                total += (s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))) - Double(y) * s
            }
            return total
        }
        var current = loss(a, b)
        for _ in 0..<100 {
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for (x, y) in zip(f, labels) {
                let q = Logistic.sigmoid(a * x + b)
                let r = q - Double(y)
                let w = max(q * (1 - q), 1e-12)
                ga += r * x
                gb += r
                haa += w * x * x
                hab += w * x
                hbb += w
            }
            if max(abs(ga), abs(gb)) < 1e-10 * Double(max(1, f.count)) { break }
            let det = haa * hbb - hab * hab
            guard det > 0 else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            var step = 1.0
            var improved = false
            while step > 1e-6 {
                let candidate = loss(a - step * da, b - step * db)
                // Near the optimum the loss changes below its rounding; Newton steps are still good.
                if candidate <= current + 1e-12 * abs(current) {
                    a -= step * da
                    b -= step * db
                    improved = true
                    current = candidate
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        return .platt(a: a, b: b)
    }

    /// Isotonic regression by pool-adjacent-violators: the non-decreasing step function of
    /// least squared error. Rows with equal probabilities are pooled first (their mean label),
    /// as scikit-learn does; each final block contributes its lowest and highest probability.
    package static func fitIsotonic(probabilities: [Double], labels: [UInt8]) -> ProbabilityCalibrator {
        precondition(probabilities.count == labels.count)
        let order = probabilities.indices.sorted { probabilities[$0] < probabilities[$1] }
        // Blocks: (sum of labels, weight, lowest x, highest x).
        var sums: [Double] = []
        var weights: [Double] = []
        var lows: [Double] = []
        var highs: [Double] = []
        for i in order {
            let x = probabilities[i]
            let y = Double(labels[i])
            if let last = highs.last, last == x {
                sums[sums.count - 1] += y
                weights[weights.count - 1] += 1
            } else {
                sums.append(y); weights.append(1); lows.append(x); highs.append(x)
            }
            // Pool while the last block's mean falls below its predecessor's.
            while sums.count > 1 {
                let k = sums.count - 1
                guard sums[k] / weights[k] < sums[k - 1] / weights[k - 1] else { break }
                sums[k - 1] += sums[k]
                weights[k - 1] += weights[k]
                highs[k - 1] = highs[k]
                sums.removeLast(); weights.removeLast(); lows.removeLast(); highs.removeLast()
            }
        }
        var thresholds: [Double] = []
        var values: [Double] = []
        for k in sums.indices {
            let v = sums[k] / weights[k]
            thresholds.append(lows[k]); values.append(v)
            if highs[k] > lows[k] { thresholds.append(highs[k]); values.append(v) }
        }
        return .isotonic(thresholds: thresholds, values: values)
    }

    /// Predicted against observed by group of predicted probability: rows sorted by
    /// probability (ties by row order) and cut into `groups` groups of equal count (± 1).
    package static func reliabilityTable(probabilities: [Double], labels: [UInt8], groups: Int = 10) -> [ReliabilityBin] {
        precondition(probabilities.count == labels.count && groups >= 1)
        let n = probabilities.count
        let order = probabilities.indices.sorted {
            probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
        return (0..<groups).compactMap { g in
            let range = (g * n / groups)..<((g + 1) * n / groups)
            guard !range.isEmpty else { return nil }
            var predicted = 0.0
            var observed = 0
            for k in range {
                predicted += probabilities[order[k]]
                observed += Int(labels[order[k]])
            }
            return ReliabilityBin(count: range.count, lowestPredicted: probabilities[order[range.lowerBound]],
                                  highestPredicted: probabilities[order[range.upperBound - 1]],
                                  meanPredicted: predicted / Double(range.count),
                                  observedRate: Double(observed) / Double(range.count))
        }
    }

    /// Expected calibration error: Σ (group share) · |mean predicted − observed rate| over the
    /// equal-count groups of `reliabilityTable`.
    package static func expectedCalibrationError(probabilities: [Double], labels: [UInt8], groups: Int = 10) -> Double {
        let table = reliabilityTable(probabilities: probabilities, labels: labels, groups: groups)
        let n = Double(probabilities.count)
        return table.reduce(0) { $0 + Double($1.count) / n * abs($1.meanPredicted - $1.observedRate) }
    }
}
