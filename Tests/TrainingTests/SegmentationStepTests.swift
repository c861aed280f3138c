import DIASMetadata
import Features
import Learning
import ModelFormat
import Tabular
import Testing

@testable import Training

/// Three well-separated groups of people, a few nearly empty rows, and customers drawn
/// mostly from the first group: the step must find the groups, keep the empty rows apart,
/// and label the first group's segment as the core.
@Suite struct SegmentationStepTests {
    /// Group g's people have values around 2 + 3g in every column (1-byte codes).
    static func csv(groups: [Int], sparse: Int, seed: UInt64) -> (text: String, truth: [Int]) {
        var rng = SplitMix64(seed: seed)
        var lines = ["LNR;A1;A2;A3;A4;A5;A6"]
        var truth: [Int] = []
        var lnr = 1
        for (group, count) in groups.enumerated() {
            for _ in 0..<count {
                let values = (0..<6).map { column -> String in
                    let base = 2 + 3 * ((group + column) % 3 == 0 ? group : (group * 2) % 3)
                    return String(base + Int(rng.next() % 2))
                }
                lines.append(([String(lnr)] + values).joined(separator: ";"))
                truth.append(group)
                lnr += 1
            }
        }
        for _ in 0..<sparse {
            lines.append("\(lnr);1;;;;;")
            truth.append(-1)
            lnr += 1
        }
        return (lines.joined(separator: "\n") + "\n", truth)
    }

    @Test func findsGroupsKeepsSparseRowsApartAndLabelsTheCore() throws {
        let population = Self.csv(groups: [100, 100, 100], sparse: 20, seed: 1)
        let customers = Self.csv(groups: [70, 20, 10], sparse: 0, seed: 2)
        let populationTable = try CSVReader.read(bytes: Array(population.text.utf8), name: "azdias.csv")
        let customerTable = try CSVReader.read(bytes: Array(customers.text.utf8), name: "customers.csv")
        var cleaning = CleaningOptions()
        cleaning.maxColumnMissingShare = 0.5
        let fit = try CleaningFit.fit(population: populationTable, catalog: DIASCatalog(attributes: []), options: cleaning)
        let populationFeatures = try fit.transform.transform(table: populationTable)
        let customerFeatures = try fit.transform.transform(table: customerTable)

        var options = SegmentationOptions()
        options.k = 3
        options.seed = 5
        let result = try SegmentationStep.run(
            population: populationFeatures, customers: customerFeatures, transform: fit.transform,
            summary: fit.summary, options: options)

        // The 20 sparse rows (5 of 6 columns missing) are "insufficient data", nobody else is.
        let insufficient = result.model.insufficientDataSegment
        #expect(insufficient == 3)
        #expect(result.populationSegments.suffix(20).allSatisfy { $0 == insufficient })
        #expect(!result.populationSegments.prefix(300).contains(insufficient))
        // The clusters are the groups exactly.
        let ari = ClusterMetrics.adjustedRandIndex(Array(result.populationSegments.prefix(300)), Array(population.truth.prefix(300)))
        #expect(ari == 1)

        // Shares: each group is 100 of 320 people; customers 70 / 20 / 10 of 100.
        let groupOfSegment = Dictionary(uniqueKeysWithValues: (0..<3).map { g in (result.populationSegments[g * 100], g) })
        for row in result.table.rows where row.cluster != insufficient {
            let group = try #require(groupOfSegment[row.cluster])
            #expect(row.populationCount == 100)
            #expect(row.customerCount == [70, 20, 10][group])
            #expect(abs(row.ratio - [0.7, 0.2, 0.1][group] / (100.0 / 320)) < 1e-12)
            #expect(row.label == [.core, .underRepresented, .underRepresented][group])
            #expect(row.distinguishing.count == 5)
        }
        let sparseRow = try #require(result.table.rows.first { $0.cluster == insufficient })
        #expect(sparseRow.populationCount == 20)
        #expect(sparseRow.customerCount == 0)
        #expect(sparseRow.name == "insufficient data")
        #expect(sparseRow.number == 0)
        #expect(sparseRow.label == .insufficientData)
    }

    @Test("fitting slice by slice from the tables gives the in-memory fit: same segments, same table, same inertia")
    func streamingEqualsInMemory() throws {
        let population = Self.csv(groups: [900, 700, 500], sparse: 40, seed: 3)
        let customers = Self.csv(groups: [300, 20, 10], sparse: 5, seed: 4)
        let populationTable = try CSVReader.read(bytes: Array(population.text.utf8), name: "azdias.csv")
        let customerTable = try CSVReader.read(bytes: Array(customers.text.utf8), name: "customers.csv")
        var cleaning = CleaningOptions()
        cleaning.maxColumnMissingShare = 0.5
        let fit = try CleaningFit.fit(population: populationTable, catalog: DIASCatalog(attributes: []), options: cleaning)
        var options = SegmentationOptions()
        options.k = 3
        options.seed = 2
        let inMemory = try SegmentationStep.run(
            population: try fit.transform.transform(table: populationTable), customers: try fit.transform.transform(table: customerTable),
            transform: fit.transform, summary: fit.summary, options: options)
        let streamed = try SegmentationStep.run(
            populationTable: populationTable, populationFile: "azdias.csv", customerTable: customerTable,
            customerFile: "customers.csv", transform: fit.transform, summary: fit.summary, options: options, sliceRows: 333)
        // The streamed path projects rows kept as Float32 (relative rounding below 6e-8): the
        // same partition, though which of the restarts that found it wins (and so the order of
        // the clusters, before segment numbering) may differ.
        #expect(ClusterMetrics.adjustedRandIndex(streamed.populationSegments, inMemory.populationSegments) == 1)
        #expect(ClusterMetrics.adjustedRandIndex(
            streamed.populationSegments + streamed.customerSegments, inMemory.populationSegments + inMemory.customerSegments) == 1)
        #expect(abs(streamed.inertia - inMemory.inertia) <= 1e-6 * inMemory.inertia)
        // The PCA is fitted from Float64 rows on both paths, centred differently (exact means in
        // memory, none when streamed) before the products are rounded to Float32: the explained
        // variances agree to Float32's precision.
        #expect(streamed.explainedVarianceRatios.count == inMemory.explainedVarianceRatios.count)
        #expect(zip(streamed.explainedVarianceRatios, inMemory.explainedVarianceRatios).allSatisfy { abs($0 - $1) <= 1e-6 })
        func rows(_ result: SegmentationResult) -> [String] {
            result.table.rows.map { "\($0.populationCount) \($0.customerCount) \($0.label)" }.sorted()
        }
        #expect(rows(streamed) == rows(inMemory))
        #expect(streamed.model.projection.outputDimension == inMemory.model.projection.outputDimension)
        // The population keeps its k-means labels; the scorer's per-row call places every row
        // in the same segment.
        let features = try fit.transform.transform(table: populationTable)
        #expect(streamed.populationSegments == streamed.model.segments(of: features, maxRowMissingShare: fit.transform.maxRowMissingShare))
    }

    @Test("a customers table without a column the transform reads is an input error naming the file")
    func streamingRefusesMissingColumn() throws {
        let population = Self.csv(groups: [50, 50], sparse: 0, seed: 3)
        let populationTable = try CSVReader.read(bytes: Array(population.text.utf8), name: "azdias.csv")
        let customerTable = try CSVReader.read(bytes: Array("LNR;A1;A2\n1;2;3\n".utf8), name: "customers.csv")
        let fit = try CleaningFit.fit(population: populationTable, catalog: DIASCatalog(attributes: []))
        #expect(throws: TrainingError.self) {
            try SegmentationStep.run(
                populationTable: populationTable, populationFile: "azdias.csv", customerTable: customerTable,
                customerFile: "customers.csv", transform: fit.transform, summary: fit.summary)
        }
        do {
            _ = try SegmentationStep.run(
                populationTable: populationTable, populationFile: "azdias.csv", customerTable: customerTable,
                customerFile: "customers.csv", transform: fit.transform, summary: fit.summary)
        } catch {
            #expect(error.description == "customers.csv: required column A3 is not in the input")
        }
    }

    @Test func labelThresholds() {
        #expect(SegmentTable.Label.of(ratio: 2) == .core)
        #expect(SegmentTable.Label.of(ratio: 1.999) == .overRepresented)
        #expect(SegmentTable.Label.of(ratio: 1.25) == .overRepresented)
        #expect(SegmentTable.Label.of(ratio: 1.2) == .neutral)
        #expect(SegmentTable.Label.of(ratio: 0.81) == .neutral)
        #expect(SegmentTable.Label.of(ratio: 0.8) == .underRepresented)
    }
}
