import Foundation

/// The true probability that a mailed person responds.
///
/// Non-linear on purpose, so a tree model has something to find that a linear one
/// misses: a saturating online-affinity effect, wealth that only counts above average,
/// an age sweet spot, a wealth × mobility interaction, the segment's own offset, and two
/// observed columns (D19_SOZIALES = 1 lifts, a high KBA13_ANZAHL_PKW lifts a little).
/// A hidden per-person receptiveness that no column shows adds to the log-odds, so the
/// true probabilities (Bayes AUC about 0.87) beat any model of the columns (about 0.80).
public struct ResponseModel: Sendable {
    /// Log-odds at a zero score, calibrated to the real base rate.
    public internal(set) var intercept: Double = 0
    /// Scale of the score; sets how separable responders are (the Bayes AUC).
    public internal(set) var strength: Double = 0.5
    /// Weight of the hidden receptiveness (a standard normal per person) in the log-odds.
    public internal(set) var hiddenWeight: Double = 1.0
    public internal(set) var targetRate: Double = 0
    let sozialesColumn: Int
    let carsColumn: Int
    let sozialesNumbers: [Double]
    let carsNumbers: [Double]

    init(sozialesColumn: Int, carsColumn: Int, plans: [ColumnPlan]) {
        self.sozialesColumn = sozialesColumn
        self.carsColumn = carsColumn
        sozialesNumbers = plans[sozialesColumn].numbers
        carsNumbers = plans[carsColumn].numbers
    }

    /// The score before intercept and strength.
    @inline(__always)
    func score(segmentOffset: Double, traits t: UnsafePointer<Double>, values: UnsafePointer<Int32>) -> Double {
        var s = segmentOffset
        s += 0.9 * tanh(1.3 * t[3])
        s += 0.7 * max(0, t[0])
        s -= 0.4 * (t[1] - 0.4) * (t[1] - 0.4)
        s += 0.35 * t[0] * t[4]
        let soziales = values[sozialesColumn]
        if soziales >= 0 {
            let v = sozialesNumbers[Int(soziales)]
            if v == 1 { s += 1.1 } else if v == 0 { s -= 0.3 }
        }
        let cars = values[carsColumn]
        if cars >= 0, carsNumbers[Int(cars)] > 1000 { s += 0.35 }
        return s
    }

    @inline(__always)
    func probability(score: Double, hidden: Double) -> Double {
        1 / (1 + exp(-(intercept + strength * score + hiddenWeight * hidden)))
    }
}

/// Finds the intercept that gives the real base rate over a large fixed sample of
/// mailout-like people (drawn from a stream of its own, so it does not depend on scale).
enum ResponseCalibration {
    static func intercept(model: SynthModel, targetRate: Double) -> Double {
        let sample = 40_000
        let scores = RowGenerator.calibrationScores(model: model, count: sample)
        let response = model.response
        var lo = -20.0, hi = 5.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            var sum = 0.0
            for (score, hidden) in scores {
                sum += 1 / (1 + exp(-(mid + response.strength * score + response.hiddenWeight * hidden)))
            }
            if sum / Double(sample) < targetRate { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
