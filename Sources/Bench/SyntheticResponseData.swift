import Learning
import Foundation
import ModelFormat
import Numerics

/// A mail-out-shaped data set with a KNOWN response probability, for measuring the response
/// model: small-integer codes driven by a few hidden factors (so features correlate, as census
/// variables do), some missing values, a nonlinear true logit with interactions and an effect of
/// missingness, and a base rate near 1.2 %.
struct SyntheticResponseData {
    var features: Matrix
    var labels: [UInt8]
    /// The true probability each label was drawn from.
    var truth: [Double]

    /// Generates a training and a test set from one seeded process (same feature layout and truth).
    static func make(trainingRows: Int, testRows: Int, columns: Int, seed: UInt64) -> (SyntheticResponseData, SyntheticResponseData) {
        var random = SplitMix64(seed: seed ^ 0x5EED_0000_0000_0001)
        let layout = (0..<columns).map { _ in FeatureLayout(random: &random) }
        let all = trainingRows + testRows
        var values = [Double](repeating: 0, count: all * columns)
        var logits = [Double](repeating: 0, count: all)
        let factors = 6
        for i in 0..<all {
            let hidden = (0..<factors).map { _ in random.nextNormal() }
            for j in 0..<columns {
                let f = layout[j]
                if random.nextUnit() < f.missingRate { values[i * columns + j] = .nan; continue }
                let signal = f.loading * hidden[f.factor] + (1 - f.loading * f.loading).squareRoot() * random.nextNormal()
                // Map a standard normal onto codes 1...levels through the logistic CDF.
                let u = 1 / (1 + exp(-1.7 * signal))
                values[i * columns + j] = Double(min(f.levels, 1 + Int(u * Double(f.levels))))
            }
            logits[i] = trueLogit(Array(values[(i * columns)..<((i + 1) * columns)]), layout: layout)
        }
        // Intercept by bisection so that the mean probability is 1.2 %.
        var lo = -15.0, hi = 5.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            let mean = logits.reduce(0) { $0 + Logistic.sigmoid($1 + mid) } / Double(all)
            if mean < 0.012 { lo = mid } else { hi = mid }
        }
        let truth = logits.map { Logistic.sigmoid($0 + (lo + hi) / 2) }
        let labels = truth.map { random.nextUnit() < $0 ? UInt8(1) : 0 }
        func slice(_ rows: Range<Int>) -> SyntheticResponseData {
            SyntheticResponseData(
                features: Matrix(rows: rows.count, columns: columns,
                                 values: Array(values[(rows.lowerBound * columns)..<(rows.upperBound * columns)])),
                labels: Array(labels[rows]), truth: Array(truth[rows]))
        }
        return (slice(0..<trainingRows), slice(trainingRows..<all))
    }

    /// Nonlinear in about a dozen columns: thresholds, a peaked effect, interactions and missingness.
    private static func trueLogit(_ x: [Double], layout: [FeatureLayout]) -> Double {
        func v(_ j: Int) -> Double { j < x.count ? x[j] : .nan }
        func scaled(_ j: Int) -> Double {  // 0...1, missing as the middle
            let value = v(j)
            guard !value.isNaN, j < layout.count else { return 0.5 }
            return (value - 1) / Double(max(1, layout[j].levels - 1))
        }
        var s = 0.0
        s += 1.2 * (scaled(0) > 0.6 ? 1 : 0)
        s += 0.9 * scaled(1)
        s -= 0.8 * (v(2).isNaN ? 1 : 0)
        s += 1.0 * exp(-pow((scaled(3) - 0.5) * 4, 2))
        s += 1.1 * ((scaled(4) > 0.5 && scaled(5) < 0.5) ? 1 : 0)
        s += 0.7 * sin(6 * scaled(6))
        s += 0.8 * scaled(7) * scaled(8)
        s -= 0.9 * (scaled(9) < 0.25 ? 1 : 0)
        s += 0.6 * ((v(10).isNaN || scaled(10) > 0.7) ? 1 : 0)
        s += 0.5 * abs(scaled(11) - scaled(12)) * 2
        return s
    }
}

/// How one synthetic column is made.
private struct FeatureLayout {
    var levels: Int
    var factor: Int
    var loading: Double
    var missingRate: Double

    init(random: inout SplitMix64) {
        let kind = random.nextUnit()
        levels = kind < 0.6 ? 2 + random.nextIndex(below: 5) : kind < 0.92 ? 7 + random.nextIndex(below: 6) : 20 + random.nextIndex(below: 400)
        factor = random.nextIndex(below: 6)
        loading = 0.2 + 0.7 * random.nextUnit()
        missingRate = random.nextUnit() < 0.3 ? 0.01 + 0.14 * random.nextUnit() : 0
    }
}
