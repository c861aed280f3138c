import ModelFormat
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
}
