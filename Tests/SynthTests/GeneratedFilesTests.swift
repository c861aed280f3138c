import Foundation
import Testing

@testable import Synth

/// Generates a small data set and checks the facts by reading the files back.
@Suite struct GeneratedFilesTests {
    static let schema = try! ArvatoSchema.bundled()

    /// Whether `value` is a legal cell of `column` in the real files' conventions.
    static func isLegal(_ value: String, column: ArvatoSchema.Column, values: Set<String>) -> Bool {
        switch column.kind {
        case .int:
            guard let n = Int(value), let lo = column.azdias?.min, let hi = column.azdias?.max else { return false }
            return (Double(n) >= lo && Double(n) <= hi) || values.contains(value)
        case .float:
            if value.isEmpty { return true }
            guard value.hasSuffix(".0"), let n = Int(value.dropLast(2)),
                let lo = column.azdias?.min, let hi = column.azdias?.max
            else { return false }
            return (Double(n) >= lo && Double(n) <= hi) || values.contains(String(n))
        case .object:
            if value.isEmpty { return true }
            if column.name == "EINGEFUEGT_AM" {
                let bytes = Array(value.utf8)
                return bytes.count == 19 && value.hasSuffix(" 00:00:00") && bytes[4] == UInt8(ascii: "-")
                    && Int(value.prefix(4)).map { (1992...2016).contains($0) } == true
            }
            return values.contains(value)
        }
    }

    @Test func filesFollowTheSchema() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let synthesizer = try Synthesizer(options: SynthOptions(scale: 0.002, seed: 7))
        try synthesizer.generateAll(into: directory.path)
        let columns = Dictionary(uniqueKeysWithValues: Self.schema.columns.map { ($0.name, $0) })
        var lnrs: [SynthFile: [Int]] = [:]
        for file in SynthFile.allCases {
            let csv = try CSVReadBack(path: directory.path + "/" + file.fileName)
            let facts = try #require(Self.schema.files[file.schemaKey])
            #expect(csv.header == facts.columns, "column order of \(file.fileName)")
            #expect(csv.rows.count == synthesizer.rows(of: file))
            #expect(csv.rows.allSatisfy { $0.count == facts.columns.count })
            for (i, name) in csv.header.enumerated() where name != "LNR" {
                let cells = csv.rows.map { $0[i] }
                if let column = columns[name] {
                    let values = Set((column.values ?? []).map(\.text))
                    let illegal = Set(cells).filter { !Self.isLegal($0, column: column, values: values) }
                    #expect(illegal.isEmpty, "\(file.fileName) \(name): \(illegal.prefix(3))")
                } else if name == "RESPONSE" {
                    #expect(cells.allSatisfy { $0 == "0" || $0 == "1" })
                } else {
                    let legal = Set((Self.schema.extraColumns[name]?.values ?? []).map(\.text))
                    #expect(cells.allSatisfy { legal.contains($0) }, "\(name)")
                }
            }
            // CAMEO_DEUG_2015 is the first digit of CAMEO_DEU_2015, X where that is XX.
            for (deu, deug) in zip(csv.column("CAMEO_DEU_2015"), csv.column("CAMEO_DEUG_2015")) {
                #expect(deu.isEmpty ? deug.isEmpty : (deu == "XX" ? deug == "X" : deug == String(deu.prefix(1))))
            }
            lnrs[file] = csv.column("LNR").compactMap { Int($0) }
        }
        // LNR: AZDIAS a shuffled run from 191653, CUSTOMERS 1..n, the mailouts share 1..(train + test).
        let azdias = try #require(lnrs[.azdias])
        #expect(azdias.sorted() == Array(191_653..<(191_653 + azdias.count)))
        #expect(azdias != azdias.sorted())
        let customers = try #require(lnrs[.customers])
        #expect(customers.sorted() == Array(1...customers.count))
        let mailout = try #require(lnrs[.mailoutTrain]) + (try #require(lnrs[.mailoutTest]))
        #expect(mailout.sorted() == Array(1...mailout.count))

        // Truth files line up with the data rows.
        let truth = try CSVReadBack(path: directory.path + "/truth/response_mailout_train.csv")
        #expect(truth.header == ["LNR", "segment", "p_true", "response"])
        #expect(truth.column("LNR").compactMap { Int($0) } == lnrs[.mailoutTrain])
        let data = try CSVReadBack(path: directory.path + "/" + SynthFile.mailoutTrain.fileName)
        #expect(truth.column("response") == data.column("RESPONSE"))
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory(), c = try TemporaryDirectory()
        defer { a.cleanup(); b.cleanup(); c.cleanup() }
        try Synthesizer(options: SynthOptions(scale: 0.001, seed: 11)).generateAll(into: a.path)
        try Synthesizer(options: SynthOptions(scale: 0.001, seed: 11)).generateAll(into: b.path)
        try Synthesizer(options: SynthOptions(scale: 0.001, seed: 12)).generateAll(into: c.path)
        let names = SynthFile.allCases.map(\.fileName) + SynthFile.allCases.map { "truth/" + $0.truthFileName }
            + ["truth/truth.json"]
        for name in names {
            let first = try Data(contentsOf: URL(fileURLWithPath: a.path + "/" + name))
            let second = try Data(contentsOf: URL(fileURLWithPath: b.path + "/" + name))
            #expect(first == second, "\(name) differs between runs")
        }
        let other = try Data(contentsOf: URL(fileURLWithPath: c.path + "/" + SynthFile.azdias.fileName))
        let first = try Data(contentsOf: URL(fileURLWithPath: a.path + "/" + SynthFile.azdias.fileName))
        #expect(other != first)
    }

    /// Missing fractions per block, read back from AZDIAS and CUSTOMERS at scale 0.1.
    @Test func missingBlocksMatchTheSchema() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        // AZDIAS at scale 0.1 (89 122 rows); CUSTOMERS at 0.05 (9 583 rows) keeps debug runs short.
        for (file, population, scale) in [(SynthFile.azdias, "azdias", 0.1), (.customers, "customers", 0.05)] {
            let synthesizer = try Synthesizer(options: SynthOptions(scale: scale, seed: 3))
            _ = try synthesizer.generate(file, into: directory.path)
            let scan = try EmptyCellScan(path: directory.path + "/" + file.fileName)
            let width = scan.header.count
            #expect(scan.empty.count == scan.rowCount * width)
            var sparse = 0
            for row in 0..<scan.rowCount {
                var missing = 0
                for column in 0..<width where scan.isEmpty(row: row, column: column) { missing += 1 }
                if missing > width / 2 { sparse += 1 }
            }
            let sparseShare = Double(sparse) / Double(scan.rowCount)
            if file == .azdias {
                // README: about 11 % of AZDIAS rows miss more than half of their values.
                #expect(abs(sparseShare - 0.11) < 0.02, "AZDIAS sparse share \(sparseShare)")
            } else {
                // CUSTOMERS rows miss about twice as often.
                #expect(sparseShare > 0.18 && sparseShare < 0.30, "CUSTOMERS sparse share \(sparseShare)")
            }
            var blocks: [String: (missing: Int, cells: Int, expected: Double)] = [:]
            var firstOfBlock: [String: Int] = [:]
            for column in Self.schema.columns {
                guard let block = column.missingBlock, let i = scan.header.firstIndex(of: column.name) else { continue }
                let expected = population == "azdias" ? column.azdias!.missingFrac : column.customers!.missingFrac
                var missing = 0
                var apart = 0
                let j = firstOfBlock[block] ?? i
                firstOfBlock[block] = j
                for row in 0..<scan.rowCount {
                    let empty = scan.isEmpty(row: row, column: i)
                    if empty { missing += 1 }
                    if empty != scan.isEmpty(row: row, column: j) { apart += 1 }
                }
                let entry = blocks[block] ?? (0, 0, expected)
                blocks[block] = (entry.missing + missing, entry.cells + scan.rowCount, entry.expected)
                // All columns of a block go missing together.
                #expect(Double(apart) / Double(scan.rowCount) < 0.01, "\(column.name) apart from its block")
            }
            #expect(blocks.count == 16)
            for (block, entry) in blocks {
                let fraction = Double(entry.missing) / Double(entry.cells)
                #expect(abs(fraction - entry.expected) < 0.02, "\(population) \(block): \(fraction) vs \(entry.expected)")
            }
        }
    }

    @Test func responseRateAndCustomerSegments() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let synthesizer = try Synthesizer(options: SynthOptions(scale: 0.5, seed: 5))
        let train = try synthesizer.generate(.mailoutTrain, into: directory.path)
        // Real base rate 532 / 42 962 = 1.238 %.
        let meanP = try #require(train.meanProbability)
        #expect(abs(meanP - 0.012383) < 0.002)
        let csv = try CSVReadBack(path: directory.path + "/" + SynthFile.mailoutTrain.fileName)
        let drawn = Double(csv.column("RESPONSE").filter { $0 == "1" }.count) / Double(csv.rows.count)
        #expect(abs(drawn - 0.012383) < 0.002, "drawn response rate \(drawn)")
        let bayes = try #require(train.expectedBayesAUC)
        #expect(bayes > 0.84 && bayes < 0.91, "expected Bayes AUC \(bayes)")

        let truth = synthesizer.makeTruth(files: [:])
        #expect(!truth.overRepresentedSegments.isEmpty)
        #expect(!truth.underRepresentedSegments.isEmpty)
        #expect(abs(truth.segments.reduce(0) { $0 + $1.customerShare } - 1) < 1e-9)
    }

    @Test func customersOverRepresentSegmentsInTheFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let synthesizer = try Synthesizer(options: SynthOptions(scale: 0.01, seed: 9))
        let truth = try synthesizer.generateAll(into: directory.path)
        let population = try CSVReadBack(path: directory.path + "/truth/segments_azdias.csv").column("segment")
        let customers = try CSVReadBack(path: directory.path + "/truth/segments_customers.csv").column("segment")
        let top = try #require(truth.segments.max { $0.customerRatio < $1.customerRatio })
        let share = { (list: [String]) in Double(list.filter { $0 == String(top.id) }.count) / Double(list.count) }
        #expect(share(customers) > 1.5 * share(population))
        #expect(truth.files["AZDIAS"]?.rows == population.count)
    }
}
