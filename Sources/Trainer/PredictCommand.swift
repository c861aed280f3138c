import ArgumentParser
import Console
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
        "Progress on stderr: auto (a live line on a terminal, logfmt lines otherwise), terminal, log or silent.", valueName: "mode"))
    var progress: ProgressReporter.Display = .auto
    @Option(help: ArgumentHelp(
        "Add the N attributes that moved each row's score most (exact tree SHAP, log-odds) and the N pulling it to its segment.",
        valueName: "N"))
    var reasons: Int = 0

    func validate() throws {
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more") }
    }

    func run() throws {
        let reporter = ProgressReporter(display: progress)
        try CommandErrors.run("predict", progress: reporter) {
            let model = try ScoringModel.load(path: BundlePath.resolve(bundle))
            if reasons > 0, model.reasonModel == nil { throw PredictError.noReasons(model.bundleId) }
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                bytes = try Self.contents(of: file)
            }
            reporter.startHeartbeat()
            // Lines after the header: the rows, unless quoted fields hold line breaks.
            let rows = max(0, Self.lineCount(bytes) - 1)
            reporter.begin("predict", total: rows, unit: "rows")
            let outcomes: [RowOutcome]
            do throws(BatchScorer.Failure) {
                outcomes = try BatchScorer.score(bytes, model: model, reasons: reasons) { count in
                    reporter.advance("predict", by: count, total: rows, unit: "rows")
                }
            } catch {
                throw PredictError.input(file, error)
            }
            let format = ScoreFormat(style: output, withVersion: withVersion, reasons: reasons)
            var text = format.header(idColumn: model.transform.idColumn)
            for outcome in outcomes { text += format.line(outcome, model: model) }
            FileHandle.standardOutput.write(Data(text.utf8))
            let errors = outcomes.reduce(0) { if case .failed = $1 { $0 + 1 } else { $0 } }
            reporter.finish(
                "predict", message: "scored \(outcomes.count) rows of \(file)\(errors > 0 ? " (\(errors) answered with an error)" : "")",
                rows: outcomes.count)
        }
    }

    /// Newlines in `bytes`, found with memchr (this target is not optimised in debug builds).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { buffer in
            guard var cursor = buffer.baseAddress else { return 0 }
            let end = cursor + buffer.count
            var count = 0
            while cursor < end, let found = memchr(cursor, Int32(UInt8(ascii: "\n")), end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return count
        }
    }

    /// The bytes of `file`, or the error that says why it cannot be read.
    static func contents(of file: String) throws(PredictError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw PredictError.cannotRead(file, reason: String(cString: strerror(errno(of: error))))
        }
    }

    /// The errno behind a Foundation read error (ENOENT when it does not say).
    static func errno(of error: any Error) -> Int32 {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let posix = underlying, posix.domain == NSPOSIXErrorDomain { return Int32(posix.code) }
        switch (error as? CocoaError)?.code {
        case .fileReadNoPermission?: return EACCES
        case .fileReadNoSuchFile?, .fileNoSuchFile?: return ENOENT
        default: return EIO
        }
    }
}

extension ScoreFormat.Style: ExpressibleByArgument {}

enum PredictError: ExitStatusProviding, CustomStringConvertible {
    case cannotRead(String, reason: String)
    case input(String, BatchScorer.Failure)
    case noReasons(String)

    var description: String {
        switch self {
        case .noReasons(let id):
            "bundle \(id) has no node statistics in its trees (written before format 1.1): retrain it to get reason codes"
        case .cannotRead(let file, let reason): "cannot read \(file): \(reason)"
        case .input(let file, let failure): "\(file): \(failure)"
        }
    }

    var exitStatus: ExitStatus {
        switch self {
        case .cannotRead: .noInput
        case .input, .noReasons: .dataError
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
