import ArgumentParser
import DIASMetadata
import Features
import Foundation
import ModelFormat
import Tabular

/// `prospector-bench clean`: ingestion + cleaning of the population, the step the peer does
/// with pandas `read_csv` + the same cleaning + SimpleImputer + StandardScaler.
struct CleanBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean", abstract: "Reads the metadata and the population, fits the cleaning and applies it to every row.")

    @Option(help: "The population CSV.") var population: String
    @Option(help: "The values workbook.") var values: String
    @Option(help: "The information levels workbook.") var levels: String?

    func run() throws {
        let start = Date()
        let catalog = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
        let table = try CSVReader.read(path: population)
        let ingested = Date()
        let fit = try CleaningFit.fit(population: table, catalog: catalog)
        let fitted = Date()
        // Apply to every row in slices (the scaled matrix of the whole population would be
        // several GB of doubles; the learners consume it slice by slice).
        var checksum = 0.0
        let slice = 65_536
        var m = FeatureMatrix()
        for lower in stride(from: 0, to: table.rowCount, by: slice) {
            try fit.transform.transform(table: table, rows: lower..<min(table.rowCount, lower + slice), parts: .scaled, into: &m)
            checksum += m.scaled.reduce(0, +)
        }
        let done = Date()
        let line: [String: Any] = [
            "step": "ingest_clean",
            "seconds": done.timeIntervalSince(start),
            "ingest_seconds": ingested.timeIntervalSince(start),
            "fit_seconds": fitted.timeIntervalSince(ingested),
            "apply_seconds": done.timeIntervalSince(fitted),
            "rows": table.rowCount,
            "columns_out": fit.transform.features.count,
            "rows_over_half_missing": fit.summary.rowsAboveMissingThreshold,
            "checksum": checksum,
            "peak_mb": PeakMemory.megabytes() ?? 0,
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
