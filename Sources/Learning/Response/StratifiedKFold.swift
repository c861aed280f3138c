/// Stratified k-fold splits: each class's rows are shuffled with a seed and dealt to the folds
/// in turn (the second class continuing where the first stopped), so every fold holds the
/// same share of responders, give or take one row, and fold sizes differ by at most one.
package struct StratifiedKFold: Sendable, Hashable {
    package let folds: Int
    package let seed: UInt64

    package init(folds: Int = 5, seed: UInt64 = 0) {
        self.folds = folds
        self.seed = seed
    }

    /// The fold (0..<folds) of every row.
    package func assignments(labels: [UInt8]) throws(ResponseModelError) -> [Int] {
        guard folds >= 2 else {
            throw .invalidParameter(name: "folds", value: "\(folds)", expected: "at least 2")
        }
        try ResponseModelError.validate(labels: labels, rows: labels.count)
        let negatives = labels.indices.filter { labels[$0] == 0 }
        let positives = labels.indices.filter { labels[$0] != 0 }
        guard positives.count >= folds && negatives.count >= folds else {
            throw .tooFewRowsForFolds(folds: folds, positives: positives.count, negatives: negatives.count)
        }
        var random = SplitMix64(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var dealt = 0
        for var members in [negatives, positives] {
            random.shuffle(&members)
            for row in members {
                fold[row] = dealt % folds
                dealt += 1
            }
        }
        return fold
    }

    /// For each fold, the rows to train on and the held-out rows (both ascending).
    package func splits(labels: [UInt8]) throws(ResponseModelError) -> [(training: [Int], validation: [Int])] {
        let fold = try assignments(labels: labels)
        return (0..<folds).map { k in
            (training: fold.indices.filter { fold[$0] != k }, validation: fold.indices.filter { fold[$0] == k })
        }
    }
}
