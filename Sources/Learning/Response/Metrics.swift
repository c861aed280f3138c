import Foundation

/// Ranking and probability metrics of a binary response model.
package enum Metrics {
    /// Area under the ROC curve as the Mann–Whitney statistic with average ranks for ties:
    /// the chance that a random positive scores above a random negative, ties counting half.
    /// NaN when `labels` hold a single class.
    package static func auc(scores: [Double], labels: [UInt8]) -> Double {
        precondition(scores.count == labels.count, "auc: \(scores.count) scores for \(labels.count) labels")
        let n = scores.count
        // Scores sorted with their labels side by side (boosting asks this every round): any
        // order within a tie group gives the same sum, as every member gets the group's rank.
        var ranked = zip(scores, labels).map { RankedScore(score: $0, positive: $1 != 0) }
        ranked.sort { $0.score < $1.score }
        var positives = 0
        var positiveRankSum = 0.0
        var i = 0
        while i < n {
            // Tie group [i, j): all share the average of ranks i+1 ... j.
            var j = i + 1
            while j < n && ranked[j].score == ranked[i].score { j += 1 }
            let averageRank = Double(i + 1 + j) / 2
            for k in i..<j where ranked[k].positive {
                positives += 1
                positiveRankSum += averageRank
            }
            i = j
        }
        let negatives = n - positives
        guard positives > 0 && negatives > 0 else { return .nan }
        let p = Double(positives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// The AUC expected when each row's label is drawn independently with its true probability:
    /// Σ p_i (1 − p_j) · [s_i > s_j, ties ½] over ordered pairs i ≠ j, divided by Σ p_i (1 − p_j).
    /// It measures a ranking against known probabilities without the noise of one draw of labels.
    package static func expectedAUC(scores: [Double], probabilities: [Double]) -> Double {
        precondition(scores.count == probabilities.count, "expectedAUC: \(scores.count) scores for \(probabilities.count) probabilities")
        let n = scores.count
        var order = Array(0..<n)
        order.sort { scores[$0] < scores[$1] }
        var concordant = 0.0
        var negativeBelow = 0.0
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && scores[order[j]] == scores[order[i]] { j += 1 }
            var negativeInGroup = 0.0
            for k in i..<j { negativeInGroup += 1 - probabilities[order[k]] }
            for k in i..<j {
                let p = probabilities[order[k]]
                concordant += p * (negativeBelow + (negativeInGroup - (1 - p)) / 2)
            }
            negativeBelow += negativeInGroup
            i = j
        }
        var positive = 0.0
        var selfPairs = 0.0
        for p in probabilities {
            positive += p
            selfPairs += p * (1 - p)
        }
        let pairs = positive * (Double(n) - positive) - selfPairs
        return pairs > 0 ? concordant / pairs : .nan
    }

    /// Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15] (as scikit-learn does).
    package static func logLoss(probabilities: [Double], labels: [UInt8]) -> Double {
        precondition(probabilities.count == labels.count)
        guard !labels.isEmpty else { return .nan }
        var total = 0.0
        for (p, y) in zip(probabilities, labels) {
            let q = min(max(p, 1e-15), 1 - 1e-15)
            total -= y != 0 ? log(q) : log(1 - q)
        }
        return total / Double(labels.count)
    }

    /// Mean and population standard deviation (divisor n, numpy's default), as reported for fold scores.
    package static func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, standardDeviation: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (squares / Double(values.count)).squareRoot())
    }
}

/// A score and whether its row is positive, as `Metrics.auc` sorts them.
private struct RankedScore {
    var score: Double
    var positive: Bool
}
