import Concurrency
import ModelFormat
import Numerics

/// Out-of-sample quality of one kind of model, from k-fold cross-validation.
package struct CrossValidationReport: Sendable {
    /// AUC on each held-out fold.
    package var foldAUC: [Double]
    package var meanAUC: Double
    /// Population standard deviation of `foldAUC`.
    package var standardDeviationAUC: Double
    /// Probability of every row predicted by the model that did not see it.
    package var outOfFold: [Double]
    /// AUC and log-loss of `outOfFold` pooled over all rows.
    package var pooledAUC: Double
    package var pooledLogLoss: Double

    init(foldAUC: [Double], outOfFold: [Double], labels: [UInt8]) {
        self.foldAUC = foldAUC
        (meanAUC, standardDeviationAUC) = Metrics.meanAndStandardDeviation(foldAUC)
        self.outOfFold = outOfFold
        pooledAUC = Metrics.auc(scores: outOfFold, labels: labels)
        pooledLogLoss = Metrics.logLoss(probabilities: outOfFold, labels: labels)
    }
}

/// Cross-validated boosted trees plus the final model trained on every row.
package struct BoostedTreesResult: Sendable {
    package var report: CrossValidationReport
    /// Best round of each fold (by held-out AUC, with early stopping if configured).
    package var bestIterations: [Int]
    /// Trees of the final model: the rounded mean of `bestIterations`.
    package var chosenTrees: Int
    package var model: TreeEnsemble
    /// Gain per feature of the final model.
    package var featureImportance: [Double]
}

/// Cross-validated logistic regression plus the final model trained on every row.
package struct LogisticResult: Sendable {
    package var report: CrossValidationReport
    package var model: LogisticModel
}

package enum CrossValidation {
    /// k-fold CV of the booster, then a final fit on all rows.
    ///
    /// Each fold trains up to `numIterations` rounds, its held-out fold serving as the
    /// validation set for early stopping (as `lightgbm.cv` does); the fold's model is cut back
    /// to its best round, which gives its AUC and out-of-fold predictions. The final model gets
    /// the rounded mean of the folds' best rounds. `concurrentFolds` folds train at once, one
    /// thread each (cheaper than splitting one tree's work); the final fit is one more job,
    /// started as soon as a core is free of folds: it grows only the trees the folds' best
    /// rounds so far promise it, and waits, its core left to the folds, for more (see
    /// `FinalRounds`). A job left alone uses every core for its
    /// histograms. Results do not depend on any of it.
    /// `foldFinished` is told how many folds are done after each one, from the fold's thread.
    package static func boostedTrees(
        _ data: BinnedMatrix, labels: [UInt8], parameters: BoosterParameters,
        folds: StratifiedKFold = StratifiedKFold(), concurrentFolds: Int = 2,
        foldFinished: @Sendable (_ done: Int) -> Void = { _ in }
    ) throws(ResponseModelError) -> BoostedTreesResult {
        _ = try parameters.validated()
        guard labels.count == data.rows else { throw .labelCountMismatch(rows: data.rows, labels: labels.count) }
        let splits = try folds.splits(labels: labels)
        let width = max(1, concurrentFolds)
        var fits = trainFolds(data, labels: labels, parameters: parameters, splits: splits, cores: width, foldFinished: foldFinished)
        let finalFit = fits.removeLast()
        var outOfFold = [Double](repeating: 0, count: data.rows)
        var foldAUC: [Double] = []
        var bestIterations: [Int] = []
        for (split, result) in zip(splits, fits) {
            let fit = try result.get()
            for (k, row) in split.validation.enumerated() { outOfFold[row] = Logistic.sigmoid(fit.validationScores[k]) }
            foldAUC.append(Metrics.auc(scores: fit.validationScores, labels: split.validation.map { labels[$0] }))
            bestIterations.append(fit.bestIteration)
        }
        let final = try finalFit.get()
        let chosen = final.bestIteration
        return BoostedTreesResult(
            report: CrossValidationReport(foldAUC: foldAUC, outOfFold: outOfFold, labels: labels),
            bestIterations: bestIterations, chosenTrees: chosen, model: final.ensemble,
            featureImportance: final.featureImportance)
    }

    /// Trains every fold, then the final model on all rows (last in the result): `cores`
    /// workers each take the next job until none is left. The final fit keeps the rounded mean
    /// of the folds' best rounds, which the last fold to finish works out.
    private static func trainFolds(
        _ data: BinnedMatrix, labels: [UInt8], parameters: BoosterParameters,
        splits: [(training: [Int], validation: [Int])], cores: Int, foldFinished: @Sendable (Int) -> Void
    ) -> [Result<BoosterFit, ResponseModelError>] {
        let share = CoreShare(cores: cores)
        let rounds = FinalRounds(folds: splits.count)
        let booster = HistogramBooster(parameters: parameters)
        var finalParameters = parameters
        finalParameters.earlyStoppingRounds = 0
        finalParameters.numThreads = cores
        let finalBooster = HistogramBooster(parameters: finalParameters)
        // Fewer workers than jobs, so jobs start in index order: the final fit, which waits for
        // the folds at its end, starts after every fold has a worker of its own. The jobs run on
        // threads of their own: the final fit's waiting must not hold a thread of the dispatch
        // pool that the last fold's histogram builds need.
        return Parallel.perform(splits.count + 1, workers: min(cores, splits.count), threads: .own) { i in
            share.enter()
            defer { share.leave() }
            if i == splits.count {
                return Result { () throws(ResponseModelError) -> BoosterFit in
                    try finalBooster.fit(data, labels: labels, trainingRows: nil, validationRows: [], coreShare: share,
                                         role: .final(rounds))
                }
            }
            let fit = Result { () throws(ResponseModelError) -> BoosterFit in
                try booster.fit(data, labels: labels, trainingRows: splits[i].training,
                                validationRows: splits[i].validation, coreShare: share, role: .fold(i, rounds))
            }
            // A failed fold reported no round and counts 0: the whole run throws its error anyway.
            let done = rounds.finish()
            foldFinished(done)
            return fit
        }
    }

    /// k-fold CV of L2 logistic regression, then a final fit on all rows. Folds run one
    /// after another, each starting from the previous fold's model (the last fold's for the
    /// final fit; see `LogisticRegression.fit`); each fit uses both cores over rows.
    package static func logistic(
        _ features: Matrix, labels: [UInt8], parameters: LogisticParameters = LogisticParameters(),
        folds: StratifiedKFold = StratifiedKFold(), foldFinished: (_ done: Int) -> Void = { _ in }
    ) throws(ResponseModelError) -> LogisticResult {
        guard labels.count == features.rows else {
            throw .labelCountMismatch(rows: features.rows, labels: labels.count)
        }
        let splits = try folds.splits(labels: labels)
        var outOfFold = [Double](repeating: 0, count: features.rows)
        var foldAUC: [Double] = []
        var previous: LogisticModel? = nil
        for split in splits {
            let model = try LogisticRegression(parameters: parameters).fit(features, labels: labels,
                                                                           rows: split.training, warmStart: previous)
            previous = model
            var scores: [Double] = []
            features.values.withUnsafeBufferPointer { values in
                for row in split.validation {
                    let x = UnsafeBufferPointer(rebasing: values[(row * features.columns)..<((row + 1) * features.columns)])
                    let probability = model.probability(x)
                    outOfFold[row] = probability
                    scores.append(probability)
                }
            }
            foldAUC.append(Metrics.auc(scores: scores, labels: split.validation.map { labels[$0] }))
            foldFinished(foldAUC.count)
        }
        let model = try LogisticRegression(parameters: parameters).fit(features, labels: labels, warmStart: previous)
        return LogisticResult(report: CrossValidationReport(foldAUC: foldAUC, outOfFold: outOfFold, labels: labels),
                              model: model)
    }
}
