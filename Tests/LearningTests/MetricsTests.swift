import Foundation
import Testing
@testable import Learning

@Test func aucCountsCorrectlyOrderedPairs() {
    // Pairs (positive, negative): (0.35,0.1) ✓, (0.35,0.4) ✗, (0.8,0.1) ✓, (0.8,0.4) ✓ → 3/4.
    #expect(Metrics.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
    #expect(Metrics.auc(scores: [0.1, 0.2, 0.3], labels: [0, 1, 1]) == 1)
    #expect(Metrics.auc(scores: [0.3, 0.2, 0.1], labels: [0, 1, 1]) == 0)
}

@Test func aucCountsTiesAsHalf() {
    // Positives 0.5, 0.5; negatives 0.5, 0.2: pairs ½ + 1 + ½ + 1 = 3 of 4.
    #expect(Metrics.auc(scores: [0.5, 0.5, 0.5, 0.2], labels: [1, 0, 1, 0]) == 0.75)
    // Positives 0.3, 0.7, 0.1; negatives 0.3, 0.7: ½ + 0 + 1 + ½ + 0 + 0 = 2 of 6.
    #expect(abs(Metrics.auc(scores: [0.3, 0.3, 0.7, 0.7, 0.1], labels: [0, 1, 0, 1, 1]) - 1.0 / 3) < 1e-15)
    // All scores equal: every pair a tie.
    #expect(Metrics.auc(scores: [1, 1, 1, 1], labels: [0, 1, 0, 1]) == 0.5)
    #expect(Metrics.auc(scores: [0.2, 0.4], labels: [1, 1]).isNaN)
}

@Test func logLossByHand() {
    let expected = -(log(0.9) + log(0.8)) / 2
    #expect(abs(Metrics.logLoss(probabilities: [0.9, 0.2], labels: [1, 0]) - expected) < 1e-15)
    // Clipped, not infinite.
    #expect(Metrics.logLoss(probabilities: [0], labels: [1]) == -log(1e-15))
}

@Test func liftTableByHand() {
    // Three responders in ten (base rate 0.3), sorted by probability, five slices of two.
    let table = LiftTable(probabilities: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05],
                          labels: [1, 0, 1, 0, 0, 0, 0, 1, 0, 0], groups: 5)
    #expect(table.rows.map(\.responders) == [1, 1, 0, 1, 0])
    #expect(table.rows.map(\.mailedShare) == [0.2, 0.4, 0.6, 0.8, 1.0])
    let gains = table.rows.map(\.gain)
    for (g, e) in zip(gains, [1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1]) { #expect(abs(g - e) < 1e-15) }
    for (l, e) in zip(table.rows.map(\.lift), [5.0 / 3, 5.0 / 3, 0, 5.0 / 3, 0]) { #expect(abs(l - e) < 1e-12) }
    for (l, e) in zip(table.rows.map(\.cumulativeLift), [5.0 / 3, 5.0 / 3, 10.0 / 9, 1.25, 1]) {
        #expect(abs(l - e) < 1e-12)
    }
}

@Test func stratifiedFoldsKeepTheResponseShare() throws {
    let labels = (0..<100).map { $0 % 10 == 3 ? UInt8(1) : 0 }
    let folds = StratifiedKFold(folds: 5, seed: 17)
    let splits = try folds.splits(labels: labels)
    #expect(splits.count == 5)
    var seen = Set<Int>()
    for split in splits {
        #expect(split.validation.count == 20)
        #expect(split.validation.filter { labels[$0] == 1 }.count == 2)
        #expect(Set(split.training).isDisjoint(with: split.validation))
        #expect(split.training.count + split.validation.count == 100)
        seen.formUnion(split.validation)
    }
    #expect(seen.count == 100)
    #expect(try folds.assignments(labels: labels) == StratifiedKFold(folds: 5, seed: 17).assignments(labels: labels))
    #expect(try folds.assignments(labels: labels) != StratifiedKFold(folds: 5, seed: 18).assignments(labels: labels))
    #expect(throws: ResponseModelError.tooFewRowsForFolds(folds: 20, positives: 10, negatives: 90)) {
        try StratifiedKFold(folds: 20).assignments(labels: labels)
    }
}

@Test func meanAndPopulationDeviation() {
    let (mean, sd) = Metrics.meanAndStandardDeviation([0.7, 0.8, 0.9])
    #expect(abs(mean - 0.8) < 1e-15)
    #expect(abs(sd - (0.02 / 3).squareRoot()) < 1e-15)
}

@Test func expectedAUCWeighsEveryPairByItsChanceOfBeingPositiveNegative() {
    // Brute force over ordered pairs i ≠ j with exact fractions (Python `fractions`):
    // Σ p_i (1 − p_j) [s_i > s_j, ties ½] = 389/100, Σ p_i (1 − p_j) = 239/50 → 389/478.
    let scores = [0.1, 0.4, 0.4, 0.9, 0.2]
    let truth = [0.2, 0.5, 0.1, 0.8, 0.0]
    #expect(abs(Metrics.expectedAUC(scores: scores, probabilities: truth) - 389.0 / 478.0) < 1e-15)
    // With 0/1 probabilities it is the ordinary AUC of those labels.
    let labels: [UInt8] = [0, 1, 0, 1, 1]
    #expect(abs(Metrics.expectedAUC(scores: [0.3, 0.3, 0.7, 0.7, 0.1], probabilities: labels.map(Double.init))
        - Metrics.auc(scores: [0.3, 0.3, 0.7, 0.7, 0.1], labels: labels)) < 1e-15)
    #expect(Metrics.expectedAUC(scores: [1, 2], probabilities: [0, 0]).isNaN)
}

/// The radix order against a comparison sort: random scores with ties, both zeros, negatives,
/// and scores that share their high digits (the skipped passes).
@Test func radixOrderSortsLikeAComparisonSort() {
    var random = SplitMix64(seed: 4)
    let pool: [Double] = [0, -0.0, -3.5, 1e-300, -1e-300, 2, .greatestFiniteMagnitude, -.infinity]
    let scores = (0..<3000).map { i -> Double in
        switch i % 3 {
        case 0: return pool[random.nextIndex(below: pool.count)]
        case 1: return 0.25 + Double(random.nextIndex(below: 1000)) * 1e-9   // one exponent
        default: return random.nextUnit() * 2 - 1
        }
    }
    let labels = scores.map { _ in UInt8(random.nextIndex(below: 2)) }
    let (keys, positive) = RadixOrder.sorted(scores: scores, labels: labels)
    let expected = scores.sorted()
    #expect(keys == expected.map(RadixOrder.key))
    #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
    // The labels travel with their scores: each key's count of positives is the same.
    var want: [UInt64: Int] = [:], got: [UInt64: Int] = [:]
    for (s, l) in zip(scores, labels) where l != 0 { want[RadixOrder.key(s), default: 0] += 1 }
    for (k, p) in zip(keys, positive) where p { got[k, default: 0] += 1 }
    #expect(got == want)
    #expect(RadixOrder.key(-0.0) == RadixOrder.key(0))
    #expect(RadixOrder.key(-1) < RadixOrder.key(-0.5) && RadixOrder.key(0) < RadixOrder.key(1e-300))
}
