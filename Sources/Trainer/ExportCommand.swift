import ArgumentParser
import Foundation
import ModelFormat
import Tabular
import Training

/// `trainer export`: the response trees as a LightGBM text model, or a data file's engineered
/// features / SHAP contributions as the trees see them.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes the response trees as a LightGBM model, or a file's features or SHAP values for them.",
        discussion: """
            --format lightgbm writes the boosted trees as a LightGBM text model (load it with \
            lightgbm.Booster(model_file=OUT)); it reads the bundle's engineered features. \
            --format features --input FILE.csv writes those features for every row of FILE \
            (LNR,raw_score,FEATURE…; missing = nan), the matrix to give LightGBM; --format \
            contributions --input FILE.csv writes each row's exact tree SHAP values per feature \
            (LNR,FEATURE…,expected_value: the layout of LightGBM's pred_contrib).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case lightgbm, features, contributions
    }

    @Option(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp("lightgbm, features or contributions.", valueName: "format"))
    var format: Format = .lightgbm
    @Option(help: ArgumentHelp("The CSV file whose rows to export (features, contributions).", valueName: "file.csv"))
    var input: String?
    @Argument(help: ArgumentHelp("Where to write.", valueName: "out"))
    var out: String

    func validate() throws {
        if format == .lightgbm, input != nil { throw ValidationError("--input is for --format features or contributions") }
        if format != .lightgbm, input == nil { throw ValidationError("--format \(format.rawValue) needs --input FILE.csv") }
    }

    func run() throws {
        try CommandErrors.run("export") {
            let model = try ScoringModel.load(path: BundlePath.resolve(bundle))
            let bytes: [UInt8]
            switch format {
            case .lightgbm:
                bytes = Array(try LightGBMModelText.text(
                    model.booster, featureNames: model.transform.featureNames,
                    parameters: Self.lightGBMParameters(model.manifest, trees: model.booster.treeCount)).utf8)
            case .features, .contributions:
                let path = input!
                let table: Table
                do { table = try CSVReader.read(path: path) } catch { throw ExportError.input(path, "\(error)") }
                do {
                    bytes = format == .features
                        ? try FeatureTableExport.features(of: table, model: model)
                        : try FeatureTableExport.contributions(of: table, model: model)
                } catch {
                    throw ExportError.input(path, "\(error)")
                }
            }
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else { throw ExportError.cannotWrite(out) }
        }
    }

    /// The booster's fitting parameters under LightGBM's names, from the manifest.
    static func lightGBMParameters(_ manifest: BundleManifest, trees: Int) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = [("num_iterations", String(trees))]
        guard case .object(let response)? = manifest.parameters["response"], case .object(let booster)? = response["booster"] else {
            return result
        }
        let names = [
            ("learningRate", "learning_rate"), ("numLeaves", "num_leaves"), ("maxDepth", "max_depth"),
            ("minDataInLeaf", "min_data_in_leaf"), ("minSumHessianInLeaf", "min_sum_hessian_in_leaf"),
            ("lambdaL2", "lambda_l2"), ("baggingFraction", "bagging_fraction"), ("baggingFreq", "bagging_freq"),
            ("featureFraction", "feature_fraction"), ("maxBin", "max_bin"),
        ]
        for (ours, theirs) in names {
            if case .number(let value)? = booster[ours] { result.append((theirs, LightGBMModelText.number(value))) }
        }
        return result
    }
}

enum ExportError: Error, CustomStringConvertible {
    case input(String, String)
    case cannotWrite(String)

    var description: String {
        switch self {
        case .input(let file, let problem): "\(file): \(problem)"
        case .cannotWrite(let file): "\(file): cannot write the file"
        }
    }
}
