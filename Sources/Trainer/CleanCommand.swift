import ArgumentParser
import DIASMetadata
import Features
import Foundation
import ModelFormat
import Tabular
import Training

/// `trainer clean`: fits the cleaning transform on the population and reports what it did to
/// every column, so the rules can be checked before a full training run.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Fits the metadata-driven cleaning transform on the population and prints its summary.",
        discussion: """
            Unknown codes (per the values workbook) and the X/XX markers become missing; columns \
            missing in more than --max-column-missing of the population are dropped; mixed columns \
            are split (EINGEFUEGT_AM to a year, OST_WEST_KZ to 0/1, CAMEO_INTL_2015 to wealth and \
            life stage, PRAEGENDE_JUGENDJAHRE to decade and movement, text categories to \
            indicators); fill values and scaling come from rows missing at most --max-row-missing \
            of their columns.
            """)

    @Option(help: ArgumentHelp("The population file (Udacity_AZDIAS_052018.csv).", valueName: "azdias.csv"))
    var population: String

    @Option(help: ArgumentHelp("The values workbook (\"DIAS Attributes - Values 2017.xlsx\").", valueName: "values.xlsx"))
    var values: String

    @Option(help: ArgumentHelp("The information levels workbook (optional).", valueName: "levels.xlsx"))
    var levels: String?

    @Option(help: ArgumentHelp("Write the cleaning summary as JSON to this file.", valueName: "summary.json"))
    var summary: String?

    @OptionGroup(title: "Cleaning options") var cleaning: CleaningArguments

    func run() throws {
        let options = cleaning.options
        let result = try CommandErrors.run("clean") {
            let catalog = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
            let table = try CSVReader.read(path: population)
            return try CleaningFit.fit(
                population: table, file: (population as NSString).lastPathComponent, catalog: catalog, options: options)
        }
        let s = result.summary
        print("\("rows:", padding: 28)\(s.rows)")
        print("\("features:", padding: 28)\(s.featureCount)")
        for decision in [CleaningSummary.ColumnReport.Decision.kept, .engineered, .droppedTooManyMissing,
                         .droppedNoMetadata, .droppedNotUsable]
        {
            let columns = s.columns(with: decision)
            let names = columns.prefix(8).map(\.name).joined(separator: ", ") + (columns.count > 8 ? ", ..." : "")
            print("\(decision.rawValue + ":", padding: 28)\(columns.count)\(columns.isEmpty ? "" : "  (\(names))")")
        }
        print("\("unknown-code hits:", padding: 28)\(s.columns.reduce(0) { $0 + $1.unknownCodeHits })")
        print("\("unparsable tokens:", padding: 28)\(s.columns.reduce(0) { $0 + $1.unparsableTokens })")
        print("\("rows above \(Int(s.maxRowMissingShare * 100)) % missing:", padding: 28)\(s.rowsAboveMissingThreshold)")
        if let path = summary {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try CommandErrors.run("clean") { try ModelStore.writeAtomically(Array(try encoder.encode(s)), to: path) }
            print("summary written to \(path)")
        }
    }
}

extension DefaultStringInterpolation {
    mutating func appendInterpolation(_ text: String, padding width: Int) {
        appendLiteral(text.count >= width ? text : text + String(repeating: " ", count: width - text.count))
    }
}
