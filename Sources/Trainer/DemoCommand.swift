import ArgumentParser
import DIASMetadata
import Features
import Foundation
import ModelFormat
import Synth
import Tabular
import Training

/// `trainer demo`: the whole job on built-in synthetic data, for a first look on a fresh machine.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generates Arvato-shaped demo data and runs Prospector's steps on it.",
        discussion: """
            Writes synthetic data (with its ground truth) to --out/data unless it is already there, \
            reads the metadata workbooks, matches the data columns to them, fits the cleaning \
            transform on the population, and segments the population (PCA + k-means), comparing \
            customers with the population per segment, printing what each step did.
            """)

    @Option(help: "Working directory for the demo's data and outputs.")
    var out: String = "demo"

    @Option(help: "Fraction of the real row counts to generate.")
    var scale: Double = 0.02

    @Option(help: "Random seed of the synthetic data.")
    var seed: UInt64 = 1

    func run() throws {
        let data = out + "/data"
        let clock = StepClock()
        try CommandErrors.run("demo") {
            let population = data + "/" + SynthFile.azdias.fileName
            if FileManager.default.fileExists(atPath: population) {
                clock.step("synthetic data already in \(data)")
            } else {
                let truth = try Synthesizer(options: SynthOptions(scale: scale, seed: seed)).generateAll(into: data)
                let rows = SynthFile.allCases.compactMap { truth.files[$0.schemaKey]?.rows }
                clock.step("generated synthetic data in \(data): \(rows.map(String.init).joined(separator: " / ")) rows")
            }
            let values = data + "/DIAS Attributes - Values 2017.xlsx"
            let levels = data + "/DIAS Information Levels - Attributes 2017.xlsx"
            let catalog = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
            clock.step("read the metadata: \(catalog.attributes.count) attributes, \(catalog.attributes.filter { !$0.unknownCodes.isEmpty }.count) with unknown codes")

            let table = try CSVReader.read(path: population)
            let match = Reconciliation(columns: table.columnNames, catalog: catalog)
            clock.step(
                "read \(SynthFile.azdias.fileName): \(table.rowCount) rows x \(table.columnNames.count) columns; "
                    + "metadata: \(match.count(.exact)) exact, \(match.count(.suffixRZ)) _RZ, \(match.count(.renamed)) renamed, \(match.count(.none)) without")

            let fit = try CleaningFit.fit(population: table, file: SynthFile.azdias.fileName, catalog: catalog)
            let s = fit.summary
            clock.step(
                "fitted the cleaning: \(s.featureCount) features; dropped \(s.columns(with: .droppedTooManyMissing).count) columns missing > \(Int(s.maxColumnMissingShare * 100)) %; "
                    + "\(s.rowsAboveMissingThreshold) rows with insufficient data")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(s).write(to: URL(fileURLWithPath: out + "/cleaning-summary.json"))
            clock.step("wrote \(out)/cleaning-summary.json")

            let populationFeatures = try fit.transform.transform(table: table, parts: .scaled)
            let customers = try CSVReader.read(path: data + "/" + SynthFile.customers.fileName)
            let customerFeatures = try fit.transform.transform(table: customers, parts: .scaled)
            clock.step("cleaned \(table.rowCount) population and \(customers.rowCount) customer rows")
            var options = SegmentationOptions()
            options.seed = seed
            let segments = try SegmentationStep.run(
                population: populationFeatures, customers: customerFeatures, transform: fit.transform,
                summary: fit.summary, options: options)
            clock.step(
                "segmented: \(segments.model.projection.outputDimension) principal components, \(segments.model.clusterCount) clusters + insufficient data")
            print(SegmentTableText.render(segments.table))
            try encoder.encode(segments.table).write(to: URL(fileURLWithPath: out + "/segments.json"))
            clock.step("wrote \(out)/segments.json")
        }
    }
}

/// Prints each step with the time since the previous one.
final class StepClock {
    private var last = Date()

    func step(_ message: String) {
        let now = Date()
        print(String(format: "[%6.2f s] ", now.timeIntervalSince(last)) + message)
        last = now
    }
}
