import ArgumentParser
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
            Exit codes: 0 published; 65 bad input (a file, column or value to fix); 73 cannot \
            write to --models; 70 internal failure; 64 wrong usage.
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
    @Option(help: ArgumentHelp("Progress display: auto (terminal lines on a terminal, log lines otherwise), terminal or log.", valueName: "mode"))
    var progress: ProgressMode = .auto

    func run() throws {
        let inputs = try files.inputs()
        var options = try fitting.options()
        options.cacheDirectory = noCache ? nil : models + "/.cache"
        let current = ModelStore(directory: models).currentPath
        options.previousBundle = FileManager.default.fileExists(atPath: current) ? current : nil
        options.renumber = renumber
        let reporter = ProgressReporter(mode: progress)
        let outcome: (run: TrainingPipeline.Run, path: String)
        do {
            let run = try TrainingPipeline(inputs: inputs, options: options, progress: reporter.report).run()
            let store = ModelStore(directory: models, retention: keep)
            let path = try store.publish(run.bundle, companions: run.companions)
            reporter.report(ProgressEvent(step: "publish", message: "published \(path); \(store.currentPath) -> \(run.bundle.manifest.bundleId)", seconds: 0))
            outcome = (run, path)
        } catch {
            FileHandle.standardError.write(Data("trainer train: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        print(TrainSummaryText.render(outcome.run, bundlePath: outcome.path, models: models))
    }
}

extension TrainingError {
    /// sysexits(3) codes: what failed decides who must act.
    var exitCode: Int32 {
        switch self {
        case .badInput: 65
        case .cannotPublish: 73
        case .internalFailure: 70
        }
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

    func inputs() throws -> TrainingInputs {
        if let data {
            do {
                var inputs = try TrainingInputs(directory: data)
                if let population { inputs.population = population }
                if let customers { inputs.customers = customers }
                if let mailoutTrain { inputs.mailoutTrain = mailoutTrain }
                if let mailoutTest { inputs.mailoutTest = mailoutTest }
                if let values { inputs.values = values }
                if let levels { inputs.levels = levels }
                return inputs
            } catch {
                FileHandle.standardError.write(Data("trainer train: \(error)\n".utf8))
                throw ExitCode(error.exitCode)
            }
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
    @Option(help: "Drop columns missing in more than this share of population rows.")
    var maxColumnMissing: Double = 0.30
    @Option(help: "Rows missing more than this share of their columns form the 'insufficient data' segment.")
    var maxRowMissing: Double = 0.50
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

    func options() throws -> TrainingOptions {
        var options = TrainingOptions(prospectorVersion: ProspectorVersion.current)
        options.seed = seed
        options.cleaning.maxColumnMissingShare = maxColumnMissing
        options.cleaning.maxRowMissingShare = maxRowMissing
        options.segmentation.k = k
        restartOptions.apply(to: &options.segmentation)
        options.segmentation.explainedVariance = explainedVariance
        options.segmentation.components = components
        if let kRange { options.segmentation.kRange = try KRangeArgument.parse(kRange) }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
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

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, terminal, log
}

/// Step lines for people on a terminal; logfmt lines (one event per line, machine-parsable)
/// for cron and systemd journals. Both on standard error, so standard output has the summary.
final class ProgressReporter: @unchecked Sendable {
    private let asLog: Bool

    init(mode: ProgressMode) {
        asLog = mode == .log || (mode == .auto && isatty(STDERR_FILENO) == 0)
    }

    func report(_ event: ProgressEvent) {
        var line: String
        if asLog {
            line = "ts=\(BundleManifest.timestamp(Date())) level=info step=\"\(event.step)\" seconds=\(String(format: "%.3f", event.seconds))"
            if let rows = event.rows {
                line += " rows=\(rows)"
                if event.seconds > 0 { line += " rows_per_second=\(Int(Double(rows) / event.seconds))" }
            }
            if event.cached { line += " cached=true" }
            line += " msg=\"\(event.message.replacingOccurrences(of: "\"", with: "'"))\""
        } else {
            line = String(format: "[%7.2f s] ", event.seconds) + event.message
            if let rows = event.rows, event.seconds > 0.05 {
                line += String(format: " (%.0f k rows/s)", Double(rows) / event.seconds / 1000)
            }
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
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
