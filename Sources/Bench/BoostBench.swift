import ArgumentParser
import Foundation
import Learning
import ModelFormat
import Numerics

/// `prospector-bench boost`: the response-model step — 5-fold stratified CV of the booster
/// (folds in parallel) plus its final fit with the CV-chosen tree count, timed as the figure
/// compared with LightGBM; then calibration of the out-of-fold predictions, and the test rows
/// scored against their drawn responses and true probabilities.
///
/// With `--data DIR` it reads the MAILOUT files of a `trainer synth` directory through the
/// product's cleaning; without, it generates mail-out-shaped matrices (`SyntheticResponseData`).
///
/// With `--repeats N` the timed protocol runs once per seed `seed, seed + 1, …` (folds, bagging
/// and feature draws): one held-out fold's early stopping can decide how many trees a run grows
/// (LightGBM's own best round on one fold of the seed-42 mail-out ranges from 2 to 256 over six
/// bagging seeds), so one seed's time says more about that draw than about the booster.
struct BoostBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boost", abstract: "Times CV + final fit of the boosted response model and scores it against the truth.")

    @Option(help: "A `trainer synth` directory: fit on MAILOUT_TRAIN, score MAILOUT_TEST against truth/.") var data: String?
    @Option(help: "Instead of --data: the matrices an earlier --dump wrote (quick re-runs of the fit).") var matrices: String?
    @Option(help: "With --data: the CSV to fit the cleaning on (e.g. AZDIAS); default MAILOUT_TRAIN itself.") var population: String?
    @Option(help: "With --data: the values workbook (default: the one in DIR).") var values: String?
    @Option(help: "With --data: the information levels workbook (default: the one in DIR).") var levels: String?
    @Option(help: "Without --data: generated training rows.") var rows = 42962
    @Option(help: "Without --data: generated test rows.") var testRows = 42833
    @Option(help: "Without --data: generated feature columns.") var cols = 360
    @Option(help: "Boosting rounds at most.") var trees = 400
    @Option(help: "Leaves per tree.") var leaves = 31
    @Option(help: "Learning rate.") var lr = 0.05
    @Option(help: "Bagging fraction (redrawn every tree).") var bagging = 0.8
    @Option(help: "Feature fraction per tree.") var featureFraction = 0.8
    @Option(help: "Fewest training rows in a leaf.") var minDataInLeaf = 20
    @Option(help: "Early-stopping rounds on each held-out fold (0 = off).") var earlyStopping = 50
    @Option(help: "Folds of cross-validation.") var folds = 5
    @Option(help: "Seed of data, folds and sampling.") var seed: UInt64 = 1
    @Option(help: "Run the timed protocol with this many seeds (seed, seed+1, …): times summed, quality averaged.") var repeats = 1
    @Flag(help: "Also run the logistic-regression baseline.") var logistic = false
    @Flag(help: "Skip CV: one fit of exactly --trees rounds on all training rows (for comparing sampling).") var finalOnly = false
    @Option(help: "Directory to write the matrices and settings to, for bench/peer/boost_peer.py.") var dump: String?

    func run() throws {
        let problem = if let matrices {
            try BoostProblem.read(dump: matrices)
        } else if let data {
            try BoostProblem.load(data: data, population: population, values: values, levels: levels)
        } else {
            BoostProblem.synthetic(trainingRows: rows, testRows: testRows, columns: cols, seed: seed)
        }
        let seeds = (0..<UInt64(max(1, repeats))).map { seed + $0 }
        if let dump {
            try problem.write(to: dump, settings: settings(problem, seeds: seeds))
            // The fold of every training row for each seed, so that the peer cross-validates on the
            // same folds (`folds.u8` is the first seed's).
            let directory = URL(fileURLWithPath: dump)
            for (i, s) in seeds.enumerated() {
                let assignments = try StratifiedKFold(folds: folds, seed: s).assignments(labels: problem.labels)
                let bytes = Data(assignments.map { UInt8($0) })
                if i == 0 { try bytes.write(to: directory.appendingPathComponent("folds.u8")) }
                try bytes.write(to: directory.appendingPathComponent("folds-\(s).u8"))
            }
        }
        var records: [[(String, String)]] = []
        for s in seeds {
            let line = try timedRun(problem, seed: s)
            records.append(line)
            if seeds.count > 1 {
                print(json([("step", "\"boost_seed\""), ("seed", "\(s)")] + line))
            }
        }
        var line = records[0]
        if seeds.count > 1 {
            // Seconds and CPU summed over the seeds (the figure compared), every other number the
            // mean; the rest (text, lists) as the first seed had it; then some figures by seed.
            func bySeed(_ key: String) -> [String] { records.map { $0.first { $0.0 == key }!.1 } }
            let summed: Set<String> = ["seconds", "cpu_seconds"]
            line = line.map { key, value in
                let values = bySeed(key).compactMap(Double.init)
                guard values.count == seeds.count else { return (key, value) }
                let total = values.reduce(0, +)
                return (key, format(summed.contains(key) ? total : total / Double(seeds.count)))
            }
            func list(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }
            line += [
                ("seeds", list(seeds.map(String.init))),
                ("seconds_by_seed", list(bySeed("seconds"))),
                ("cpu_seconds_by_seed", list(bySeed("cpu_seconds"))),
                ("test_auc_by_seed", list(bySeed("test_auc"))),
                ("cv_auc_by_seed", list(bySeed("cv_auc_mean"))),
                ("best_iterations_by_seed", list(bySeed("best_iterations"))),
            ]
        }
        line.insert(("step", "\"boost\""), at: 0)
        if logistic {
            let logisticStarted = Date()
            var logisticParameters = LogisticParameters()
            logisticParameters.tolerance = 1e-6
            let fitted = try CrossValidation.logistic(problem.train, labels: problem.labels,
                                                      parameters: logisticParameters,
                                                      folds: StratifiedKFold(folds: folds, seed: seed))
            line.append(("logistic_cv_auc", format(fitted.report.meanAUC)))
            line.append(("logistic_seconds", format(Date().timeIntervalSince(logisticStarted))))
        }
        line.append(("peak_mb", format(PeakMemory.megabytes() ?? .nan)))
        print(json(line))
    }

    private func json(_ line: [(String, String)]) -> String {
        "{" + line.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// One timed run of the protocol with `seed` (folds, bagging, feature draws), scored on the
    /// test rows: its JSON fields (no `step`).
    private func timedRun(_ problem: BoostProblem, seed: UInt64) throws -> [(String, String)] {
        let kFold = StratifiedKFold(folds: folds, seed: seed)
        var parameters = boosterParameters()
        parameters.seed = seed

        // Timed: binning + CV + final fit (LightGBM's side times Dataset construction + CV + final).
        let started = Date()
        let cpuStarted = BoostClock.cpuSeconds()
        let binned = try FeatureBinner(fitting: problem.train, maxBins: parameters.maxBin).transform(problem.train)
        let (model, cv) = try fit(binned, labels: problem.labels, parameters: parameters, folds: kFold)
        let seconds = Date().timeIntervalSince(started)
        let cpuSeconds = BoostClock.cpuSeconds() - cpuStarted

        let predicted = probabilities(of: problem.test) { model.probability($0) }
        let testAUC = Metrics.auc(scores: predicted, labels: problem.testLabels)
        let bayesAUC = Metrics.auc(scores: problem.testTruth, labels: problem.testLabels)
        let expectedAUC = Metrics.expectedAUC(scores: predicted, probabilities: problem.testTruth)
        let expectedBayes = Metrics.expectedAUC(scores: problem.testTruth, probabilities: problem.testTruth)
        let meanPredicted = predicted.reduce(0, +) / Double(max(1, predicted.count))
        let meanTrue = problem.testTruth.reduce(0, +) / Double(max(1, problem.testTruth.count))
        let oof = cv.outOfFold
        // Platt scaling fitted on the out-of-fold probabilities, as a trainer would calibrate.
        let platt = finalOnly ? ProbabilityCalibrator.none : Calibration.fitPlatt(probabilities: oof, labels: problem.labels)
        let calibrated = predicted.map(platt.apply)
        let meanCalibrated = calibrated.reduce(0, +) / Double(max(1, calibrated.count))
        let calibratedOOF = oof.map(platt.apply)
        return [
            ("seconds", format(seconds)),
            ("cpu_seconds", format(cpuSeconds)),
            ("rows", "\(problem.train.rows)"),
            ("features", "\(problem.train.columns)"),
            ("cleaning_fitted_on", "\"\(problem.cleaningFittedOn)\""),
            ("preparation_seconds", format(problem.preparationSeconds)),
            ("cv_auc_mean", format(cv.mean)),
            ("cv_auc_std", format(cv.std)),
            ("test_auc", format(testAUC)),
            ("bayes_auc", format(bayesAUC)),
            ("bayes_gap", format(bayesAUC - testAUC)),
            ("test_auc_expected", format(expectedAUC)),
            ("bayes_auc_expected", format(expectedBayes)),
            ("bayes_gap_expected", format(expectedBayes - expectedAUC)),
            ("test_logloss", format(Metrics.logLoss(probabilities: predicted, labels: problem.testLabels))),
            ("ece", format(Calibration.expectedCalibrationError(probabilities: oof, labels: problem.labels))),
            ("test_mean_predicted", format(meanPredicted)),
            ("test_mean_true", format(meanTrue)),
            ("test_mean_relative_error", format((meanPredicted - meanTrue) / meanTrue)),
            ("platt_test_mean_predicted", format(meanCalibrated)),
            ("platt_test_mean_relative_error", format((meanCalibrated - meanTrue) / meanTrue)),
            ("platt_ece", format(Calibration.expectedCalibrationError(probabilities: calibratedOOF, labels: problem.labels))),
            ("trees", "\(cv.chosen)"),
            ("best_iterations", "[\(cv.best.map(String.init).joined(separator: ","))]"),
            ("top_decile_gain", format(LiftTable(probabilities: predicted, labels: problem.testLabels).rows[0].gain)),
        ]
    }

    /// The booster's parameters from the options.
    private func boosterParameters() -> BoosterParameters {
        var parameters = BoosterParameters()
        parameters.numIterations = trees
        parameters.numLeaves = leaves
        parameters.learningRate = lr
        parameters.baggingFraction = bagging
        parameters.baggingFreq = bagging < 1 ? 1 : 0
        parameters.featureFraction = featureFraction
        parameters.minDataInLeaf = minDataInLeaf
        parameters.earlyStoppingRounds = earlyStopping
        parameters.seed = seed
        return parameters
    }

    /// The timed fit: cross-validation and the final model, or with `--final-only` one fit
    /// (then there are no CV figures, and the "out-of-fold" column holds in-sample probabilities).
    private func fit(
        _ binned: BinnedMatrix, labels: [UInt8], parameters: BoosterParameters, folds kFold: StratifiedKFold
    ) throws -> (TreeEnsemble, (mean: Double, std: Double, outOfFold: [Double], best: [Int], chosen: Int)) {
        var parameters = parameters
        var cv = (mean: Double.nan, std: Double.nan, outOfFold: [Double](), best: [Int](), chosen: trees)
        if finalOnly {
            parameters.earlyStoppingRounds = 0
            parameters.numThreads = 2
            let fit = try HistogramBooster(parameters: parameters).fit(binned, labels: labels)
            cv.outOfFold = fit.trainingScores.map(Logistic.sigmoid)
            return (fit.ensemble, cv)
        }
        let boosted = try CrossValidation.boostedTrees(binned, labels: labels, parameters: parameters, folds: kFold)
        cv = (boosted.report.meanAUC, boosted.report.standardDeviationAUC, boosted.report.outOfFold,
              boosted.bestIterations, boosted.chosenTrees)
        return (boosted.model, cv)
    }

    private func probabilities(of matrix: Matrix, _ predict: (UnsafeBufferPointer<Double>) -> Double) -> [Double] {
        matrix.values.withUnsafeBufferPointer { values in
            (0..<matrix.rows).map { i in
                predict(UnsafeBufferPointer(rebasing: values[(i * matrix.columns)..<((i + 1) * matrix.columns)]))
            }
        }
    }

    private func format(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }

    private func settings(_ problem: BoostProblem, seeds: [UInt64]) -> String {
        """
        {"rows":\(problem.train.rows),"test_rows":\(problem.test.rows),"cols":\(problem.train.columns),\
        "trees":\(trees),"leaves":\(leaves),"lr":\(lr),"bagging":\(bagging),"feature_fraction":\(featureFraction),\
        "min_data_in_leaf":\(minDataInLeaf),"early_stopping":\(earlyStopping),"folds":\(folds),"seed":\(seed),\
        "seeds":[\(seeds.map(String.init).joined(separator: ","))]}
        """
    }
}
