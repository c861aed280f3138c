import Foundation
import ModelFormat
import Numerics

/// What one boosting run produced.
package struct BoosterFit: Sendable {
    /// The model, cut back to `bestIteration` trees.
    package var ensemble: TreeEnsemble
    /// Trees kept: the round of best validation AUC, or every round without validation rows.
    package var bestIteration: Int
    /// Rounds actually trained (early stopping may end before `numIterations`).
    package var iterationsRun: Int
    /// Validation AUC after each round (empty without validation rows).
    package var validationAUC: [Double]
    /// Raw scores (log-odds) of the validation rows with the kept trees, in the order given.
    package var validationScores: [Double]
    /// Raw scores of the training rows with the kept trees, in the order given.
    package var trainingScores: [Double]
    /// Total split gain per feature over the kept trees.
    package var featureImportance: [Double]
}

/// Gradient-boosted decision trees for binary log-loss on binned features (LightGBM's
/// algorithm: histogram splits, best-first growth, missing values with a learned direction).
///
/// Deterministic: the same data, parameters and seed give the same model bit for bit,
/// whatever `numThreads` is.
package struct HistogramBooster: Sendable {
    package var parameters: BoosterParameters

    package init(parameters: BoosterParameters = BoosterParameters()) { self.parameters = parameters }

    /// Bins `features` (row-major, NaN = missing) and fits on every row.
    package func fit(_ features: Matrix, labels: [UInt8]) throws(ResponseModelError) -> BoosterFit {
        guard features.rows > 0 else { throw .noRows }
        let binned = try FeatureBinner(fitting: features, maxBins: parameters.maxBin).transform(features)
        return try fit(binned, labels: labels)
    }

    /// Fits on `trainingRows` of `data` (all rows if nil); with `validationRows`, tracks
    /// validation AUC every round, stops early as configured and keeps the best round.
    package func fit(_ data: BinnedMatrix, labels: [UInt8], trainingRows: [Int]? = nil,
                    validationRows: [Int] = []) throws(ResponseModelError) -> BoosterFit {
        try fit(data, labels: labels, trainingRows: trainingRows, validationRows: validationRows, coreShare: nil)
    }

    /// `fit` with its histogram workers taken from `coreShare` (cross-validation's folds).
    ///
    /// With a `role`, the fit takes part in cross-validation's choice of the final model's
    /// rounds (``FinalRounds``): a fold tells it its best round whenever that improves; the final
    /// fit (no validation rows) grows only rounds it is sure to keep, waiting (its core given to
    /// the folds) until the folds' best rounds so far promise more or the choice is made. It then
    /// keeps the first `rounds.wait()` trees, which are the trees a fit of exactly that many
    /// rounds grows (nothing in a round depends on the rounds after it); its `trainingScores`
    /// are then empty.
    func fit(_ data: BinnedMatrix, labels: [UInt8], trainingRows: [Int]?, validationRows: [Int],
             coreShare: CoreShare?, role: CrossValidationRole? = nil) throws(ResponseModelError) -> BoosterFit {
        let parameters = try self.parameters.validated()
        guard labels.count == data.rows else { throw .labelCountMismatch(rows: data.rows, labels: labels.count) }
        let training = (trainingRows ?? Array(0..<data.rows))
        let trainingLabels = training.map { labels[$0] }
        try ResponseModelError.validate(labels: trainingLabels, rows: training.count)
        let validationLabels = validationRows.map { labels[$0] }
        return data.codes.withUnsafeBufferPointer { codes in
            data.columns.withUnsafeBufferPointer { columns in
                data.histogramOffsets.withUnsafeBufferPointer { offsets in
                    data.valueBinCounts.withUnsafeBufferPointer { binCounts in
                        BoostingRun(data: data, codes: codes.baseAddress!, columns: columns.baseAddress!,
                                    offsets: offsets.baseAddress!, valueBinCounts: binCounts.baseAddress!,
                                    labels: labels, training: training, validation: validationRows,
                                    validationLabels: validationLabels, parameters: parameters,
                                    coreShare: coreShare, role: role).run()
                    }
                }
            }
        }
    }
}

/// The state of one fit: scores, gradients, the grower and the trees so far.
private struct BoostingRun {
    let data: BinnedMatrix
    let codes: UnsafePointer<UInt8>
    let columns: UnsafePointer<UInt8>
    let offsets: UnsafePointer<Int>
    let valueBinCounts: UnsafePointer<Int>
    let labels: [UInt8]
    let training: [Int]
    let validation: [Int]
    let validationLabels: [UInt8]
    let parameters: BoosterParameters
    let coreShare: CoreShare?
    let role: CrossValidationRole?

    func run() -> BoosterFit {
        let p = data.featureCount
        let positives = training.reduce(0) { $0 + Int(labels[$1]) }
        let initialScore = Logistic.logit(Double(positives) / Double(training.count))
        let grower = TreeGrower(codes: codes, columns: columns, rows: data.rows, featureCount: p, offsets: offsets, valueBinCounts: valueBinCounts,
                                totalBins: data.totalBins, groups: data.groups, maxRows: training.count,
                                parameters: parameters,
                                coreShare: coreShare)
        // Scores and gradients are indexed by row of `data`; only training rows are used.
        var scores = [Double](repeating: initialScore, count: data.rows)
        var gradients = [Double](repeating: 0, count: data.rows)
        var hessians = [Double](repeating: 0, count: data.rows)
        var validationScores = [Double](repeating: initialScore, count: validation.count)
        let usable = splittableFeatures()
        let featureDraw = max(1, Int((Double(usable.count) * parameters.featureFraction).rounded()))
        let bagging = parameters.baggingFreq > 0 && parameters.baggingFraction < 1
        var random = SplitMix64(seed: parameters.seed)
        var bag = training.map { Int32($0) }
        var outOfBag: [Int32] = []
        let validationRows = validation.map { Int32($0) }
        // Positions of the rows a tree routes (validation or out-of-bag rows), and their scratch.
        let routed = Swift.max(validation.count, training.count, 1)
        let positions = UnsafeMutablePointer<Int32>.allocate(capacity: routed)
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: routed)
        defer {
            positions.deallocate()
            scratch.deallocate()
        }

        var trees: [BinnedTree] = []
        var aucs: [Double] = []
        var best = (iteration: 0, auc: -Double.infinity)
        var bestValidationScores = validationScores
        var bestTrainingScores = training.map { scores[$0] }

        for iteration in 0..<parameters.numIterations {
            if case .final(let rounds) = role, !rounds.mayGrow(round: iteration, releasing: coreShare) { break }
            updateGradients(scores: scores, gradients: &gradients, hessians: &hessians)
            if bagging && iteration % parameters.baggingFreq == 0 {
                drawBag(&bag, outOfBag: &outOfBag, random: &random)
            }
            let features = drawFeatures(usable, count: featureDraw, random: &random)
            let tree = growTree(grower, bag: bag, features: features, gradients: gradients, hessians: hessians)
            addToScores(tree, grower: grower, scores: &scores, outOfBag: outOfBag, positions: positions, scratch: scratch)
            trees.append(tree)

            if validation.isEmpty {
                best.iteration = iteration + 1
                continue
            }
            validationScores.withUnsafeMutableBufferPointer { validationScores in
                route(tree, rows: validationRows, positions: positions, scratch: scratch) { value, reached in
                    for k in reached { validationScores[Int(k)] += value }
                }
            }
            let auc = Metrics.auc(scores: validationScores, labels: validationLabels)
            aucs.append(auc)
            if auc > best.auc {
                best = (iteration + 1, auc)
                if case .fold(let fold, let rounds) = role { rounds.report(fold: fold, best: best.iteration) }
                bestValidationScores = validationScores
                bestTrainingScores = training.map { scores[$0] }
            } else if parameters.earlyStoppingRounds > 0 && iteration + 1 - best.iteration >= parameters.earlyStoppingRounds {
                break
            }
        }
        if validation.isEmpty { bestTrainingScores = training.map { scores[$0] } }
        if case .final(let rounds) = role {
            best.iteration = min(trees.count, rounds.wait())
            bestTrainingScores = []
        }

        let (ensemble, importance) = finalEnsemble(of: trees.prefix(best.iteration), initialScore: initialScore)
        return BoosterFit(ensemble: ensemble, bestIteration: best.iteration, iterationsRun: trees.count,
                          validationAUC: aucs, validationScores: bestValidationScores,
                          trainingScores: bestTrainingScores, featureImportance: importance)
    }

    /// The log loss's gradient and hessian at every training row's current score.
    private func updateGradients(scores: [Double], gradients: inout [Double], hessians: inout [Double]) {
        for r in training {
            let q = Logistic.sigmoid(scores[r])
            gradients[r] = q - Double(labels[r])
            hessians[r] = q * (1 - q)
        }
    }

    /// A new bag: each training row kept with probability `baggingFraction`; the others, in
    /// order, in `outOfBag`.
    private func drawBag(_ bag: inout [Int32], outOfBag: inout [Int32], random: inout SplitMix64) {
        bag.removeAll(keepingCapacity: true)
        outOfBag.removeAll(keepingCapacity: true)
        for r in training {
            if random.nextUnit() < parameters.baggingFraction { bag.append(Int32(r)) } else { outOfBag.append(Int32(r)) }
        }
    }

    /// Routes `rows` down `tree` (`BinnedTree.route`) and calls `reached` with each leaf's value
    /// and the positions in `rows` of the rows that reach it.
    private func route(_ tree: BinnedTree, rows: [Int32], positions: UnsafeMutablePointer<Int32>,
                       scratch: UnsafeMutablePointer<Int32>, reached: (Double, UnsafeBufferPointer<Int32>) -> Void) {
        for k in 0..<rows.count { positions[k] = Int32(k) }
        rows.withUnsafeBufferPointer { rows in
            tree.route(positions, count: rows.count, rows: rows.baseAddress!, columns: columns, rowCount: data.rows,
                       missingCodes: valueBinCounts, scratch: scratch) { leaf, reachedPositions in
                reached(tree.leafValue[leaf], reachedPositions)
            }
        }
    }

    /// `count` of the `usable` features drawn without replacement, ascending (all of them
    /// when `count` covers them, with no draw).
    private func drawFeatures(_ usable: [Int32], count: Int, random: inout SplitMix64) -> [Int32] {
        var features = usable
        if count < usable.count {
            for i in 0..<count { features.swapAt(i, i + random.nextIndex(below: features.count - i)) }
            features = Array(features[0..<count]).sorted()
        }
        return features
    }

    /// One tree grown on the bag, with its leaf values (Newton step, L2-regularised, times
    /// the learning rate).
    private func growTree(
        _ grower: TreeGrower, bag: [Int32], features: [Int32], gradients: [Double], hessians: [Double]
    ) -> BinnedTree {
        var tree = bag.withUnsafeBufferPointer { bagRows in
            features.withUnsafeBufferPointer { featureList in
                gradients.withUnsafeBufferPointer { g in
                    hessians.withUnsafeBufferPointer { h in
                        grower.grow(bag: bagRows, features: featureList, gradients: g.baseAddress!,
                                    hessians: h.baseAddress!)
                    }
                }
            }
        }
        let lambda = parameters.lambdaL2
        tree.leafValue = grower.leaves.map { leaf in
            let denominator = leaf.totals.hessian + lambda
            return denominator > 0 ? -leaf.totals.gradient / denominator * parameters.learningRate : 0
        }
        return tree
    }

    /// Adds the tree's output to the training rows' scores: the bag's rows by the leaves the
    /// grower put them in, the rows outside the bag by routing them down the tree.
    private func addToScores(_ tree: BinnedTree, grower: TreeGrower, scores: inout [Double], outOfBag: [Int32],
                             positions: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<Int32>) {
        scores.withUnsafeMutableBufferPointer { scores in
            for (i, leaf) in grower.leaves.enumerated() {
                let value = tree.leafValue[i]
                for k in leaf.begin..<leaf.end { scores[Int(grower.rows[k])] += value }
            }
            guard !outOfBag.isEmpty else { return }
            outOfBag.withUnsafeBufferPointer { outOfBagRows in
                route(tree, rows: outOfBag, positions: positions, scratch: scratch) { value, reached in
                    for k in reached { scores[Int(outOfBagRows[Int(k)])] += value }
                }
            }
        }
    }

    /// The kept trees as a ``TreeEnsemble`` over raw values, and each feature's total gain.
    private func finalEnsemble(of trees: ArraySlice<BinnedTree>, initialScore: Double) -> (TreeEnsemble, [Double]) {
        let p = data.featureCount
        var ensemble = TreeEnsemble(featureCount: p, initialScore: initialScore)
        var importance = [Double](repeating: 0, count: p)
        for tree in trees {
            ensemble.append(tree, binner: data.binner)
            for (f, gain) in zip(tree.feature, tree.gain) { importance[Int(f)] += gain }
        }
        return (ensemble, importance)
    }

    /// Features whose training rows fall in at least two bins: the only ones a split can use.
    private func splittableFeatures() -> [Int32] {
        guard let r0 = training.first else { return [] }
        let n = data.rows
        // A feature's column is read until its first row with another code: usually a few rows.
        return (0..<data.featureCount).filter { f in
            let column = columns + f * n
            let code = column[r0]
            return training.contains { column[$0] != code }
        }.map { Int32($0) }
    }
}

/// How a fit takes part in cross-validation's choice of the final model's rounds.
enum CrossValidationRole {
    /// Fold `Int`: reports its best round so far to the choice after each improvement.
    case fold(Int, FinalRounds)
    /// The final fit: grows only the rounds the choice is sure to keep.
    case final(FinalRounds)
}

/// The rounds the final model of cross-validation keeps, the rounded mean of the folds' best
/// rounds, and what is already sure of it while the folds run.
///
/// A fold's best round only grows, and the rounded mean grows with it, so the rounded mean of
/// the best rounds so far is a floor of the final choice: the final fit may grow that many
/// trees at once and never grows one it throws away. (It used to grow until the choice was made,
/// which cost 167 wasted trees of 812 when one fold ran to round 282.)
final class FinalRounds: @unchecked Sendable {
    private let condition = NSCondition()
    private var best: [Int]
    private var done = 0
    private var wanted: Int?

    init(folds: Int) { best = [Int](repeating: 0, count: max(1, folds)) }

    /// The final model's rounds for these best rounds of the folds.
    static func chosen(fromBest best: [Int]) -> Int {
        max(1, Int((Double(best.reduce(0, +)) / Double(best.count)).rounded()))
    }

    /// Fold `fold`'s best round so far.
    func report(fold: Int, best round: Int) {
        condition.lock()
        best[fold] = max(best[fold], round)
        condition.broadcast()
        condition.unlock()
    }

    /// One more fold has finished (its last report its best round; none if it failed, which
    /// counts 0); returns how many have. The last one makes the choice.
    func finish() -> Int {
        condition.lock()
        defer { condition.unlock() }
        done += 1
        if done == best.count { wanted = Self.chosen(fromBest: best) }
        condition.broadcast()
        return done
    }

    /// Whether the final fit grows round `round` (0-based): at once while the folds' best rounds
    /// so far promise it, false once the choice is made and does not keep it. Waits otherwise,
    /// its place in `share` left to the folds meanwhile.
    func mayGrow(round: Int, releasing share: CoreShare?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        var released = false
        while wanted == nil && round >= Self.chosen(fromBest: best) {
            if !released { share?.leave() }
            released = true
            condition.wait()
        }
        if released { share?.enter() }
        return round < (wanted ?? Int.max)
    }

    /// Blocks until every fold has finished; the rounds the final model keeps.
    func wait() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while wanted == nil { condition.wait() }
        return wanted!
    }
}
