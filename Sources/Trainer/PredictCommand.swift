import ArgumentParser
import Foundation
import ModelFormat

/// `trainer predict`: scores a CSV file in batch through the scorer's own per-row code.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Scores a CSV file with a bundle and writes the scorer's output format to standard output.",
        discussion: """
            The file's first line is its header (';' or ','); columns are matched by name, extra \
            columns are ignored. Output: LNR;segment;segment_label;probability with a header line \
            (segment 0 = insufficient data), one line per input row in input order; a row that \
            cannot be scored gives LNR;error;MESSAGE in its place.
            """)

    @Option(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Argument(help: ArgumentHelp("The CSV file to score ('-' reads standard input).", valueName: "file.csv"))
    var file: String
    @Option(help: ArgumentHelp("Output format: csv or jsonl.", valueName: "format"))
    var output: ScoreFormat.Style = .csv
    @Flag(help: "Add the bundle id to every line.")
    var withVersion = false
    @Option(help: ArgumentHelp(
        "Add the N attributes that moved each row's score most (exact tree SHAP, log-odds) and the N pulling it to its segment.",
        valueName: "N"))
    var reasons: Int = 0

    func validate() throws {
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more") }
    }

    func run() throws {
        try CommandErrors.run("predict") {
            let model = try ScoringModel.load(path: BundlePath.resolve(bundle))
            if reasons > 0, model.reasonModel == nil { throw PredictError.noReasons(model.bundleId) }
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw PredictError.cannotRead(file)
                }
                bytes = Array(data)
            }
            let outcomes: [RowOutcome]
            do throws(BatchScorer.Failure) {
                outcomes = try BatchScorer.score(bytes, model: model, reasons: reasons)
            } catch {
                throw PredictError.input(file, error)
            }
            let format = ScoreFormat(style: output, withVersion: withVersion, reasons: reasons)
            var text = format.header(idColumn: model.transform.idColumn)
            for outcome in outcomes { text += format.line(outcome, model: model) }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

extension ScoreFormat.Style: ExpressibleByArgument {}

enum PredictError: Error, CustomStringConvertible {
    case cannotRead(String)
    case input(String, BatchScorer.Failure)
    case noReasons(String)

    var description: String {
        switch self {
        case .noReasons(let id):
            "bundle \(id) has no node statistics in its trees (written before format 1.1): retrain it to get reason codes"
        case .cannotRead(let file): "\(file): cannot read the file"
        case .input(let file, let failure): "\(file): \(failure)"
        }
    }
}

/// Where a bundle argument points: a models directory means its `current` link.
enum BundlePath {
    static func resolve(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return (path as NSString).appendingPathComponent("current")
        }
        return path
    }
}
