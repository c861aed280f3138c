import ArgumentParser
import Console
import Foundation
import ModelFormat
import Training

/// `trainer train`: the nightly job. Inputs in, one bundle published, `current` switched.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fits cleaning, segmentation and the response model into one bundle and publishes it.",
        discussion: """
            Give the files one by one, or --data DIR holding them under their real names. The bundle \
            is written to --models as prospector-<id>.bundle (with the test predictions, the Kaggle \
            submission and the report beside it), then models/current is switched to it atomically; \
            the newest --keep bundles are kept. A failed run leaves models/current untouched.
            Exit codes: 0 published; 64 wrong usage; 65 bad input (a file, column or value to \
            fix); 66 an input cannot be opened; 73 cannot write to --models; 70 internal failure.
            """)

    @OptionGroup var files: TrainingFileOptions
    @OptionGroup var fitting: FittingOptions

    @Option(help: ArgumentHelp("Directory the bundles are published to.", valueName: "dir"))
    var models: String = "models"
    @Option(help: "Bundles to keep in --models (older ones are removed).")
    var keep: Int = 7
    @Flag(help: "Do not read or write the step cache (--models/.cache).")
    var noCache = false
    @Flag(help: "Number the segments afresh (1...k by population share) instead of following --models/current's numbers.")
    var renumber = false
    @Option(help: ArgumentHelp(
        "Progress on stderr: auto (a live line on a terminal, logfmt lines otherwise), terminal, log or silent.", valueName: "mode"))
    var progress: ProgressReporter.Display = .auto

    func validate() throws {
        try OptionCheck.atLeast(1, keep, "--keep")
    }

    func run() throws {
        do {
            try files.checkGiven()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error) (see 'trainer train --help')\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let inputs = try files.inputs()
        var options = fitting.options()
        options.cacheDirectory = noCache ? nil : ModelStore(directory: models).cacheDirectory
        let current = ModelStore(directory: models).currentPath
        options.previousBundle = FileManager.default.fileExists(atPath: current) ? current : nil
        options.renumber = renumber
        let reporter = ProgressReporter(display: progress)
        let (run, path) = try CommandErrors.run("train", progress: reporter) {
            try ModelStore(directory: models, retention: keep).checkCanPublish()
            reporter.startHeartbeat()
            let run = try TrainingPipeline(inputs: inputs, options: options, progress: reporter.finish, live: reporter).run()
            let store = ModelStore(directory: models, retention: keep)
            reporter.begin("publish")
            let path = try store.publish(run.bundle, companions: run.companions)
            reporter.finish("publish", message: "published \(path); \(store.currentPath) -> \(run.bundle.manifest.bundleId)")
            return (run, path)
        }
        print(TrainSummaryText.render(run, bundlePath: path, models: models))
    }
}

/// The six input files, one by one or from one directory.
struct TrainingFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory holding the inputs under their real names (Udacity_AZDIAS_052018.csv, ...).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("The population file.", valueName: "azdias.csv"))
    var population: String?
    @Option(help: ArgumentHelp("The customers file.", valueName: "customers.csv"))
    var customers: String?
    @Option(name: .customLong("mailout-train"), help: ArgumentHelp("The campaign file with RESPONSE.", valueName: "train.csv"))
    var mailoutTrain: String?
    @Option(name: .customLong("mailout-test"), help: ArgumentHelp("The campaign file to predict (optional): writes the predictions and the submission.", valueName: "test.csv"))
    var mailoutTest: String?
    @Option(help: ArgumentHelp("The values workbook.", valueName: "values.xlsx"))
    var values: String?
    @Option(help: ArgumentHelp("The information levels workbook (optional).", valueName: "levels.xlsx"))
    var levels: String?

    /// Either --data or all four required files, checked before anything is read (in `run`:
    /// ArgumentParser calls `validate()` before it reports an unknown option such as `--date`).
    func checkGiven() throws {
        guard data == nil else { return }
        let missing = [("--population", population), ("--customers", customers), ("--mailout-train", mailoutTrain), ("--values", values)]
            .filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            let which = missing.count == 1 ? "\(missing[0]) is missing" : "\(ListFormatter.and(missing)) are missing"
            throw ValidationError("give --data DIR, or --population, --customers, --mailout-train and --values: \(which)")
        }
    }

    func inputs() throws -> TrainingInputs {
        if let data {
            var inputs = try CommandErrors.run("train") { try TrainingInputs(directory: data) }
            if let population { inputs.population = population }
            if let customers { inputs.customers = customers }
            if let mailoutTrain { inputs.mailoutTrain = mailoutTrain }
            if let mailoutTest { inputs.mailoutTest = mailoutTest }
            if let values { inputs.values = values }
            if let levels { inputs.levels = levels }
            return inputs
        }
        guard let population, let customers, let mailoutTrain, let values else {
            throw ValidationError("give --data DIR, or --population, --customers, --mailout-train and --values")
        }
        return TrainingInputs(
            population: population, customers: customers, mailoutTrain: mailoutTrain, mailoutTest: mailoutTest,
            values: values, levels: levels)
    }
}

/// Options of the fitting steps.
struct FittingOptions: ParsableArguments {
    @Option(help: "Random seed (k-means, folds, bagging, feature sampling).")
    var seed: UInt64 = 1
    @OptionGroup(title: "Cleaning options") var cleaning: CleaningArguments
    @Option(help: "Number of segments (k-means clusters).")
    var k: Int = 10
    @Option(help: ArgumentHelp("Scan this range of k (e.g. 4...16) and use the suggested k.", valueName: "lo...hi"))
    var kRange: String?
    @OptionGroup var restartOptions: KMeansRestartOptions
    @Option(help: "Keep the fewest principal components explaining this share of the variance.")
    var explainedVariance: Double = 0.9
    @Option(help: "Keep exactly this many principal components (overrides --explained-variance).")
    var components: Int?
    @Option(help: "Most boosting rounds; cross-validation's early stopping chooses the final count.")
    var trees: Int = 400
    @Option(help: "Boosting learning rate.")
    var learningRate: Double = 0.03
    @Option(help: "Leaves per tree.")
    var leaves: Int = 8
    @Option(help: "Fewest rows in a leaf.")
    var minDataInLeaf: Int = 40
    @Option(help: "Share of rows drawn for each tree.")
    var bagging: Double = 0.8
    @Option(help: "Share of features a tree may use.")
    var featureFraction: Double = 0.7
    @Option(help: "Cross-validation folds.")
    var folds: Int = 5
    @Option(help: ArgumentHelp("Probability calibration fitted on out-of-fold predictions: none, platt or isotonic.", valueName: "method"))
    var calibration: ResponseOptions.CalibrationMethod = .platt

    /// Every value in range, checked before anything is read (exit 64).
    func validate() throws {
        try OptionCheck.segmentation(
            k: k, kRange: kRange, explainedVariance: explainedVariance, components: components)
        try OptionCheck.atLeast(1, trees, "--trees")
        try OptionCheck.positive(learningRate, "--learning-rate")
        try OptionCheck.atLeast(2, leaves, "--leaves")
        try OptionCheck.atLeast(1, minDataInLeaf, "--min-data-in-leaf")
        try OptionCheck.fraction(bagging, "--bagging")
        try OptionCheck.fraction(featureFraction, "--feature-fraction")
        try OptionCheck.atLeast(2, folds, "--folds")
    }

    func options() -> TrainingOptions {
        var options = TrainingOptions(prospectorVersion: ProspectorVersion.current)
        options.seed = seed
        options.cleaning = cleaning.options
        options.segmentation.k = k
        restartOptions.apply(to: &options.segmentation)
        options.segmentation.explainedVariance = explainedVariance
        options.segmentation.components = components
        options.segmentation.kRange = kRange.flatMap { try? KRangeArgument.parse($0) }
        options.response.folds = folds
        options.response.booster.numIterations = trees
        options.response.booster.learningRate = learningRate
        options.response.booster.numLeaves = leaves
        options.response.booster.minDataInLeaf = minDataInLeaf
        options.response.booster.baggingFraction = bagging
        options.response.booster.baggingFreq = bagging < 1 ? 1 : 0
        options.response.booster.featureFraction = featureFraction
        options.response.calibration = calibration
        return options
    }
}

extension ResponseOptions.CalibrationMethod: ExpressibleByArgument {}
extension ProgressReporter.Display: ExpressibleByArgument {}

enum ListFormatter {
    /// `a, b and c`.
    static func and(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

/// What a finished run prints.
enum TrainSummaryText {
    static func render(_ run: TrainingPipeline.Run, bundlePath: String, models: String) -> String {
        let r = run.response
        var lines = [
            "bundle \(run.bundle.manifest.bundleId) published: \(bundlePath) (\(models)/current points to it)",
            String(format: "response model: CV AUC %.4f ± %.4f (boosted trees, %d trees), %.4f ± %.4f (logistic baseline); ECE %.4f",
                   r.booster.meanAUC, r.booster.standardDeviationAUC, r.chosenTrees, r.logistic.meanAUC,
                   r.logistic.standardDeviationAUC, r.expectedCalibrationError),
        ]
        if let top = r.lift.rows.first {
            lines.append(String(format: "mailing the top %.0f %% reaches %.1f %% of responders (lift %.2f)",
                                top.mailedShare * 100, top.gain * 100, top.cumulativeLift))
        }
        if let test = run.test {
            lines.append(String(format: "test predictions: %d rows, mean probability %.5f, %.1f expected responders",
                                test.summary.rows, test.summary.meanProbability, test.summary.expectedResponders))
        }
        lines.append("")
        lines.append(SegmentTableText.render(run.segmentation.table))
        return lines.joined(separator: "\n")
    }
}
