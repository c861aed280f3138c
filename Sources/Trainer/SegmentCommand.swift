import ArgumentParser
import DIASMetadata
import Features
import Foundation
import ModelFormat
import Tabular
import Training

/// `trainer segment`: which segments of the population are the core customer base.
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Fits PCA + k-means on the cleaned population and compares customers with the population per segment.",
        discussion: """
            Segments are fitted on population rows with enough data; rows missing more than \
            --max-row-missing of their columns form their own "insufficient data" segment. Labels \
            by ratio = customer share / population share: core (>= 2), over-represented (>= 1.25), \
            neutral, under-represented (<= 0.8).
            """)

    @Option(help: ArgumentHelp("The population file (Udacity_AZDIAS_052018.csv).", valueName: "azdias.csv"))
    var population: String
    @Option(help: ArgumentHelp("The customers file (Udacity_CUSTOMERS_052018.csv).", valueName: "customers.csv"))
    var customers: String
    @Option(help: ArgumentHelp("The values workbook.", valueName: "values.xlsx"))
    var values: String
    @Option(help: ArgumentHelp("The information levels workbook (optional).", valueName: "levels.xlsx"))
    var levels: String?
    @Option(help: "Number of segments (k-means clusters).")
    var k: Int = 10
    @Option(help: ArgumentHelp("Scan this range of k (e.g. 4...16), print inertia and silhouette per k, and use the suggested k.", valueName: "lo...hi"))
    var kRange: String?
    @OptionGroup var restartOptions: KMeansRestartOptions
    @Option(help: "Keep the fewest principal components explaining this share of the variance.")
    var explainedVariance: Double = 0.9
    @Option(help: "Keep exactly this many principal components (overrides --explained-variance).")
    var components: Int?
    @Option(help: "Random seed of k-means (as scikit-learn's random_state: the same seed draws the same starting rows).")
    var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Write the segment table as JSON to this file.", valueName: "segments.json"))
    var out: String?
    @OptionGroup(title: "Cleaning options") var cleaning: CleaningArguments

    func validate() throws {
        try OptionCheck.segmentation(k: k, kRange: kRange, explainedVariance: explainedVariance, components: nil)
    }

    func run() throws {
        var options = SegmentationOptions()
        options.k = k
        restartOptions.apply(to: &options)
        options.explainedVariance = explainedVariance
        options.components = components
        options.seed = seed
        if let kRange { options.kRange = try KRangeArgument.parse(kRange) }
        let result = try CommandErrors.run("segment") {
            let catalog = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
            let populationTable = try CSVReader.read(path: population)
            let fit = try CleaningFit.fit(
                population: populationTable, file: (population as NSString).lastPathComponent, catalog: catalog,
                options: cleaning.options)
            let populationFeatures = try fit.transform.transform(table: populationTable, parts: .scaled)
            let customerFeatures = try fit.transform.transform(table: try CSVReader.read(path: customers), parts: .scaled)
            return try SegmentationStep.run(
                population: populationFeatures, customers: customerFeatures, transform: fit.transform,
                summary: fit.summary, options: options)
        }
        if let scan = result.scan {
            print("k    inertia          silhouette")
            for entry in scan.entries {
                print("\(String(entry.k), padding: 5)\(String(format: "%-16.1f", entry.inertia)) \(String(format: "%.4f", entry.silhouette))")
            }
            print("suggested k: \(scan.suggestedK)\n")
        }
        print(SegmentTableText.render(result.table))
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try CommandErrors.run("segment") { try ModelStore.writeAtomically(Array(try encoder.encode(result.table)), to: out) }
            print("segment table written to \(out)")
        }
    }
}

/// How k-means looks for its lowest inertia, shared by `trainer segment` and `trainer train`.
struct KMeansRestartOptions: ParsableArguments {
    @Option(help: "k-means++ restarts, on a sample of --sample-rows rows; the --refine best are continued on all rows, the lowest inertia kept.")
    var restarts: Int = SegmentationOptions().initializations
    @Option(help: "Rows the k-means restarts run on (0: every restart on all rows, as scikit-learn's KMeans(n_init=restarts)).")
    var sampleRows: Int = SegmentationOptions().sampleRows
    @Option(help: "Best distinct sample solutions continued on all rows.")
    var refine: Int = SegmentationOptions().refined

    /// Every value in range, checked before anything is read (exit 64).
    func validate() throws {
        try OptionCheck.atLeast(1, restarts, "--restarts")
        try OptionCheck.atLeast(0, sampleRows, "--sample-rows")
        try OptionCheck.atLeast(1, refine, "--refine")
    }

    func apply(to options: inout SegmentationOptions) {
        options.initializations = restarts
        options.sampleRows = sampleRows
        options.refined = refine
    }
}

/// `--k-range lo...hi`, shared by `trainer segment` and `trainer train`.
enum KRangeArgument {
    static func parse(_ text: String) throws -> ClosedRange<Int> {
        let bounds = text.components(separatedBy: "...").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] >= 2, bounds[0] <= bounds[1] else {
            throw ValidationError("--k-range takes lo...hi with 2 <= lo <= hi, e.g. 4...16")
        }
        return bounds[0]...bounds[1]
    }
}
