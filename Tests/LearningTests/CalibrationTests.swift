import Foundation
import ModelFormat
import Testing
@testable import Learning

@Test func isotonicPoolsAdjacentViolatorsByHand() {
    // Labels 0 1 0 1 1: the 1 then 0 at 0.2, 0.3 violate order and pool to 0.5.
    let calibrator = Calibration.fitIsotonic(probabilities: [0.1, 0.2, 0.3, 0.4, 0.5], labels: [0, 1, 0, 1, 1])
    #expect(calibrator == .isotonic(thresholds: [0.1, 0.2, 0.3, 0.4, 0.5], values: [0, 0.5, 0.5, 1, 1]))
    #expect(calibrator.apply(0.05) == 0)
    #expect(calibrator.apply(0.25) == 0.5)
    #expect(abs(calibrator.apply(0.35) - 0.75) < 1e-15)
    #expect(calibrator.apply(0.9) == 1)

    // Equal probabilities are pooled first: 0.2 twice with labels 1, 0 → 0.5, then 0.3 → 0
    // violates and pools with them: (1 + 0 + 0) / 3.
    let tied = Calibration.fitIsotonic(probabilities: [0.3, 0.2, 0.2, 0.1], labels: [0, 1, 0, 0])
    #expect(tied == .isotonic(thresholds: [0.1, 0.2, 0.3], values: [0, 1.0 / 3, 1.0 / 3]))
}

@Test func reliabilityTableAndCalibrationErrorByHand() {
    let p = [0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4]
    let y: [UInt8] = [0, 0, 0, 1, 0, 1, 1, 1]
    let table = Calibration.reliabilityTable(probabilities: p, labels: y, groups: 2)
    #expect(table.count == 2)
    #expect(abs(table[0].meanPredicted - 0.15) < 1e-15)
    #expect(table[0].observedRate == 0.25)
    #expect(abs(table[1].meanPredicted - 0.35) < 1e-15)
    #expect(table[1].observedRate == 0.75)
    // ½ · |0.15 − 0.25| + ½ · |0.35 − 0.75| = 0.25
    #expect(abs(Calibration.expectedCalibrationError(probabilities: p, labels: y, groups: 2) - 0.25) < 1e-15)
}

@Test func plattFitIsAtTheLogLossMinimum() {
    // Predictions too confident: the true probability is sigmoid(0.5 · logit(p) − 0.3).
    var random = SplitMix64(seed: 4)
    let p = (0..<4000).map { _ in 0.02 + 0.96 * random.nextUnit() }
    let y = p.map { random.nextUnit() < Logistic.sigmoid(0.5 * Logistic.logit($0) - 0.3) ? UInt8(1) : 0 }
    guard case let .platt(a, b) = Calibration.fitPlatt(probabilities: p, labels: y) else {
        Issue.record("expected a Platt calibrator")
        return
    }
    // First-order conditions of the log-loss in (a, b): both gradient components vanish.
    var ga = 0.0, gb = 0.0
    for (pi, yi) in zip(p, y) {
        let r = Logistic.sigmoid(a * Logistic.logit(pi) + b) - Double(yi)
        ga += r * Logistic.logit(pi)
        gb += r
    }
    #expect(abs(ga) < 1e-6 && abs(gb) < 1e-6)
    #expect(abs(a - 0.5) < 0.15 && abs(b + 0.3) < 0.15)
    #expect(ProbabilityCalibrator.none.apply(0.3) == 0.3)
}
