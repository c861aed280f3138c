import ArgumentParser
import Foundation
import ModelFormat
import Report

/// `trainer drift`: how far a prospects file has moved from the population the bundle learned
/// from (thin: counting is `ModelFormat`'s ``DriftCounts``, the page `Report`'s).
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compares a prospects file with the bundle's population: PSI per attribute, segment shares.",
        discussion: """
            Scores the file through the scorer's row path and prints every input attribute by \
            population stability index (PSI) against the population's reference distribution \
            stored in the bundle (0.1: watch, 0.25: act), then the share of each segment in the \
            file against the population's. Exit 0 whatever the drift; bundles written before \
            drift monitoring have no reference and are refused.
            """)

    @Option(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Argument(help: ArgumentHelp("The CSV file to compare ('-' reads standard input).", valueName: "file.csv"))
    var file: String
    @Option(help: ArgumentHelp("Also write the drift section as an HTML page in the report's style.", valueName: "out.html"))
    var html: String?
    @Option(help: ArgumentHelp("Attributes to print (all are in the HTML).", valueName: "N"))
    var limit: Int = 30

    func run() throws {
        try CommandErrors.run("drift") {
            let path = BundlePath.resolve(bundle)
            let model = try ScoringModel.load(path: path)
            guard model.reference != nil else { throw DriftError.noReference(path) }
            var scorer = FileRowScorer(model: model)
            scorer.countsDrift = true
            var errors = 0
            let counts = try scorer.score(path: file) { _, outcome in
                if case .failed = outcome { errors += 1 }
            }
            guard let counts, counts.rows > 0 else { throw DriftError.noRows(file) }
            let drift = DriftData(counts: counts, model: model, file: file, rowsWithErrors: errors)
            print(drift.table(limit: limit), terminator: "")
            if let html {
                guard FileManager.default.createFile(atPath: html, contents: Data(DriftPage.render(drift).utf8)) else {
                    throw DriftError.cannotWrite(html)
                }
            }
        }
    }
}

enum DriftError: Error, CustomStringConvertible {
    case noReference(String)
    case noRows(String)
    case cannotWrite(String)

    var description: String {
        switch self {
        case .noReference(let path):
            "\(path): the bundle has no reference distribution (written before drift monitoring); retrain it"
        case .noRows(let file): "\(file): no row could be scored"
        case .cannotWrite(let path): "\(path): cannot write the file"
        }
    }
}

extension DriftData {
    /// The figures of a drift comparison, from the counts of a scored file.
    init(counts: DriftCounts, model: ScoringModel, file: String, rowsWithErrors: Int) {
        let reference = counts.layout.reference
        let attributes = reference.attributes.indices.map { a in
            let attribute = reference.attributes[a]
            return DriftData.Attribute(
                name: attribute.name, psi: counts.psi(attribute: a) ?? 0, bins: attribute.binNames,
                expected: attribute.shares, actual: counts.shares(attribute: a))
        }
        let observed = counts.segmentShares ?? []
        let segments = reference.segmentShares.indices.map { s in
            DriftData.Segment(
                number: ScoreFormat.segmentNumber(s, model: model), label: model.segmentLabels[s],
                population: reference.segmentShares[s], file: s < observed.count ? observed[s] : 0)
        }
        self.init(
            bundleId: model.bundleId, file: file, rows: counts.rows, rowsWithErrors: rowsWithErrors,
            populationRows: reference.rows, attributes: attributes, segments: segments)
    }
}
