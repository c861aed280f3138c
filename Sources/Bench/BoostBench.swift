import ArgumentParser
import Foundation
import Learning
import ModelFormat

/// `prospector-bench boost`: the response-model step on synthetic data with a known truth —
/// 5-fold CV of the booster plus its final fit (timed, the figure compared with LightGBM),
/// logistic-regression CV as the baseline, calibration of the out-of-fold predictions, and
/// AUC on a fresh test set against the Bayes AUC of the true probabilities.
struct BoostBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boost", abstract: "Times CV + final fit of the boosted response model on synthetic data.")

    @Option(help: "Training rows.") var rows = 42962
    @Option(help: "Test rows.") var testRows = 42833
    @Option(help: "Feature columns.") var cols = 360
    @Option(help: "Boosting rounds at most.") var trees = 400
    @Option(help: "Leaves per tree.") var leaves = 31
    @Option(help: "Learning rate.") var lr = 0.05
    @Option(help: "Bagging fraction (redrawn every tree).") var bagging = 0.8
    @Option(help: "Feature fraction per tree.") var featureFraction = 0.8
    @Option(help: "Early-stopping rounds on each held-out fold (0 = off).") var earlyStopping = 50
    @Option(help: "Folds of cross-validation.") var folds = 5
    @Option(help: "Seed of data, folds and sampling.") var seed: UInt64 = 1
    @Flag(help: "Skip the logistic-regression baseline.") var skipLogistic = false
    @Option(help: "Directory to write the matrices and settings to, for bench/peer/boost_peer.py.") var dump: String?

    func run() throws {
        let (train, test) = SyntheticResponseData.make(trainingRows: rows, testRows: testRows, columns: cols, seed: seed)
        if let dump { try write(train: train, test: test, to: dump) }

        var parameters = BoosterParameters()
        parameters.numIterations = trees
        parameters.numLeaves = leaves
        parameters.learningRate = lr
        parameters.baggingFraction = bagging
        parameters.baggingFreq = bagging < 1 ? 1 : 0
        parameters.featureFraction = featureFraction
        parameters.earlyStoppingRounds = earlyStopping
        parameters.seed = seed
        let kFold = StratifiedKFold(folds: folds, seed: seed)

        let started = Date()
        let binned = try FeatureBinner(fitting: train.features, maxBins: parameters.maxBin).transform(train.features)
        let boosted = try CrossValidation.boostedTrees(binned, labels: train.labels, parameters: parameters, folds: kFold)
        let seconds = Date().timeIntervalSince(started)

        let testProbabilities = probabilities(of: test.features) { boosted.model.probability($0) }
        let oof = boosted.report.outOfFold
        var line: [(String, String)] = [
            ("step", "\"response_model\""),
            ("seconds", format(seconds)),
            ("cv_auc_mean", format(boosted.report.meanAUC)),
            ("cv_auc_std", format(boosted.report.standardDeviationAUC)),
            ("test_auc", format(Metrics.auc(scores: testProbabilities, labels: test.labels))),
            ("bayes_auc", format(Metrics.auc(scores: test.truth, labels: test.labels))),
            ("test_logloss", format(Metrics.logLoss(probabilities: testProbabilities, labels: test.labels))),
            ("ece", format(Calibration.expectedCalibrationError(probabilities: oof, labels: train.labels))),
            ("trees", "\(boosted.chosenTrees)"),
            ("best_iterations", "[\(boosted.bestIterations.map(String.init).joined(separator: ","))]"),
            ("top_decile_gain", format(LiftTable(probabilities: testProbabilities, labels: test.labels).rows[0].gain)),
        ]
        if !skipLogistic {
            let logisticStarted = Date()
            var logisticParameters = LogisticParameters()
            logisticParameters.tolerance = 1e-6
            let logistic = try CrossValidation.logistic(train.features, labels: train.labels,
                                                        parameters: logisticParameters, folds: kFold)
            line.append(("logistic_cv_auc", format(logistic.report.meanAUC)))
            line.append(("logistic_seconds", format(Date().timeIntervalSince(logisticStarted))))
        }
        line.append(("peak_mb", format(PeakMemory.megabytes() ?? .nan)))
        print("{" + line.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    private func probabilities(of matrix: Matrix, _ predict: (UnsafeBufferPointer<Double>) -> Double) -> [Double] {
        matrix.values.withUnsafeBufferPointer { values in
            (0..<matrix.rows).map { i in
                predict(UnsafeBufferPointer(rebasing: values[(i * matrix.columns)..<((i + 1) * matrix.columns)]))
            }
        }
    }

    private func format(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }

    /// Raw little-endian float64 / uint8 files plus the settings, read by bench/peer/boost_peer.py.
    private func write(train: SyntheticResponseData, test: SyntheticResponseData, to directory: String) throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        func save(_ values: [Double], _ name: String) throws {
            try values.withUnsafeBytes { try Data($0).write(to: url.appendingPathComponent(name)) }
        }
        try save(train.features.values, "X_train.f64")
        try save(test.features.values, "X_test.f64")
        try save(test.truth, "p_test.f64")
        try Data(train.labels).write(to: url.appendingPathComponent("y_train.u8"))
        try Data(test.labels).write(to: url.appendingPathComponent("y_test.u8"))
        let settings = """
            {"rows":\(rows),"test_rows":\(testRows),"cols":\(cols),"trees":\(trees),"leaves":\(leaves),\
            "lr":\(lr),"bagging":\(bagging),"feature_fraction":\(featureFraction),\
            "early_stopping":\(earlyStopping),"folds":\(folds),"seed":\(seed)}
            """
        try Data((settings + "\n").utf8).write(to: url.appendingPathComponent("settings.json"))
    }
}
