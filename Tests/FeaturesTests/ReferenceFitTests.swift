import DIASMetadata
import ModelFormat
import Tabular
import Testing

@testable import Features

/// The drift reference's binning and sample, against a plain sort of the values (the
/// definition the counted tallies must reproduce) and hand-written expectations.
@Suite struct ReferenceFitTests {
    /// Tallies `values` split over `parts` workers, as the fit does.
    private func distribution(_ values: [Double], parts: Int) -> ValueDistribution {
        var tallies: [ValueTally] = []
        let size = (values.count + parts - 1) / parts
        for start in stride(from: 0, to: values.count, by: max(1, size)) {
            var tally = ValueTally(columns: 1)
            for v in values[start..<min(values.count, start + size)] { [v].withUnsafeBufferPointer { tally.add($0) } }
            tallies.append(tally)
        }
        return ValueTally.distribution(ofColumn: 0, tallies)
    }

    /// `sorted[(n - 1) * k / 10]` for k = 1...9, repeats merged: the quantile rule written out.
    private func referenceEdges(_ values: [Double]) -> [Double] {
        let sorted = values.filter { !$0.isNaN }.sorted()
        var edges: [Double] = []
        for k in 1..<10 {
            let edge = sorted[(sorted.count - 1) * k / 10]
            if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        return edges
    }

    @Test(arguments: [1, 3])
    func quantileEdgesMatchASortOfTheValues(parts: Int) {
        // Whole numbers inside and outside the counted window, fractions, missing values.
        var values: [Double] = []
        for i in 0..<997 { values.append(Double((i * 7919) % 9000 - 300)) }
        for i in 0..<200 { values.append(Double(i) / 7 - 5) }
        values += [.nan, .nan, 1e9, -1e9]
        let binning = ReferenceFit.binning(distribution(values, parts: parts), isCategory: false)
        #expect(binning == .quantiles(edges: referenceEdges(values)))
    }

    @Test func fewWholeNumbersAreCodesAndCategoriesKeepEveryCode() {
        let codes: [Double] = [3, 1, 2, 1, .nan, 9, 3, -1]
        #expect(ReferenceFit.binning(distribution(codes, parts: 2), isCategory: false) == .codes([-1, 1, 2, 3, 9]))
        // 41 distinct whole numbers are too many codes for a number, not for a category.
        let many = (0...40).map(Double.init)
        #expect(ReferenceFit.binning(distribution(many, parts: 1), isCategory: false) == .quantiles(edges: referenceEdges(many)))
        #expect(ReferenceFit.binning(distribution(many, parts: 1), isCategory: true) == .codes(many))
        // A fraction among few values makes quantiles.
        #expect(ReferenceFit.binning(distribution([1, 2, 2.5], parts: 1), isCategory: false) == .quantiles(edges: [1, 2]))
        #expect(ReferenceFit.binning(distribution([.nan], parts: 1), isCategory: false) == .codes([]))
    }

    @Test func sampleIsEveryRowWhenSmallElseEveryKthBlock() {
        #expect(ReferenceFit.sampleBlocks(rows: 600) == [0..<256, 256..<512, 512..<600])
        #expect(ReferenceFit.sampleBlocks(rows: 0).isEmpty)
        // 891 221 rows: every 8th block of 256 rows, 436 blocks, 111 616 rows.
        let blocks = ReferenceFit.sampleBlocks(rows: 891_221)
        #expect(blocks.count == 436)
        #expect(blocks[1] == 2048..<2304)
        #expect(blocks.reduce(0) { $0 + $1.count } == 111_616)
    }

    /// The reference the cleaning fit counts in its statistics pass equals the one the
    /// two-pass ``ReferenceFit/fit(population:transform:)`` computes: every row counted,
    /// those with too little data for features included.
    @Test func referenceCountedWithTheStatisticsEqualsTheTwoPassFit() throws {
        var text = "LNR;A;B;C;D\n"
        var state: UInt64 = 7
        func next(_ n: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % n
        }
        for row in 0..<3000 {
            let sparse = next(10) == 0
            let a = sparse || next(7) == 0 ? "" : "\(next(9))"
            let b = sparse ? "" : "\(Double(next(10_000)) / 100)"
            let c = next(5) == 0 ? "-1" : "\(next(4))"
            let d = sparse ? "" : "\(next(3) * 1000)"
            text += "\(row);\(a);\(b);\(c);\(d)\n"
        }
        let table = try CSVReader.read(bytes: Array(text.utf8), name: "population.csv")
        let catalog = DIASCatalog(attributes: [
            Attribute(name: "C", codes: [.integer(-1), .integer(0), .integer(1), .integer(2), .integer(3)], unknownCodes: [.integer(-1)])
        ])
        var options = CleaningOptions()
        options.maxColumnMissingShare = 0.9
        let fit = try CleaningFit.fit(population: table, catalog: catalog, options: options, withReference: true)
        #expect(fit.summary.rowsAboveMissingThreshold > 0)
        let reference = try #require(fit.reference)
        #expect(reference == (try ReferenceFit.fit(population: table, transform: fit.transform)))
        #expect(reference.rows == 3000)
        // C's unknown code is missing: its shares are of the codes 0...3, other, missing.
        let c = try #require(reference.attributes.first { $0.name == "C" })
        #expect(c.binning == .codes([0, 1, 2, 3]))
        #expect(abs(c.shares.reduce(0, +) - 1) < 1e-12)
        #expect(c.shares.last! > 0.1)
        #expect(try CleaningFit.fit(population: table, catalog: catalog, options: options).reference == nil)
    }
}
