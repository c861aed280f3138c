import DIASMetadata
import ModelFormat
import Tabular
import Testing

@testable import Features

/// The trainer transforms whole tables, the scorer single records: both must give the same bits.
@Suite struct TransformParityTests {
    /// Transforms each record of `csv` alone, through the scorer's record reader.
    static func recordByRecord(_ transform: CleaningTransform, csv: [UInt8]) throws -> (raw: [Double], scaled: [Double]) {
        var raw: [Double] = []
        var scaled: [Double] = []
        let tokenizer = CSVTokenizer(separator: UInt8(ascii: ";"))
        try csv.withUnsafeBufferPointer { bytes in
            var fields: [CSVField] = []
            var offset = try tokenizer.record(in: bytes, from: 0, into: &fields)
            let header = fields.map { CSVTokenizer.text(of: $0, in: bytes) }
            let reader = try RecordReader(transform: transform, header: header)
            while offset < bytes.count {
                offset = try tokenizer.record(in: bytes, from: offset, into: &fields)
                if fields.count == 1 && fields[0].isEmpty { continue }
                var inputs = [Double](repeating: 0, count: transform.inputs.count)
                inputs.withUnsafeMutableBufferPointer { _ = reader.read(fields: fields, in: bytes, into: $0) }
                let row = transform.apply(inputs: inputs)
                raw += row.raw
                scaled += row.scaled
            }
        }
        return (raw, scaled)
    }

    static func bitsEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test func tinyPopulationTableEqualsRecords() throws {
        let table = try TinyPopulation.table()
        let fit = try CleaningFit.fit(population: table, catalog: TinyPopulation.catalog, options: TinyPopulation.options)
        let whole = try fit.transform.transform(table: table)
        let single = try Self.recordByRecord(fit.transform, csv: Array(TinyPopulation.csv.utf8))
        #expect(Self.bitsEqual(whole.raw, single.raw))
        #expect(Self.bitsEqual(whole.scaled, single.scaled))
    }

    /// Several thousand generated rows, parsed in many chunks, against the record path; the
    /// scored file has its columns in another order and an extra column.
    @Test func generatedRowsTableEqualsRecords() throws {
        var rng = SplitMix(seed: 7)
        let cameo = ["1A", "2D", "4C", "8A", "9E", "XX"]
        let branches = ["D19_UNBEKANNT", "D19_SONSTIGE", "D19_VERSICHERUNGEN"]
        var lines = ["LNR;AGER_TYP;CAMEO_DEU_2015;CAMEO_INTL_2015;EINGEFUEGT_AM;OST_WEST_KZ;PRAEGENDE_JUGENDJAHRE;KBA05_X;D19_LETZTER_KAUF_BRANCHE;SHARE;ALTERSKATEGORIE_GROB"]
        for i in 0..<3000 {
            func maybe(_ s: String) -> String { rng.next() % 10 == 0 ? "" : s }
            let intl = rng.next() % 50 == 0 ? "XX" : String(11 + Int(rng.next() % 45))
            lines.append([
                String(1000 + i), String(Int(rng.next() % 5) - 1), cameo[Int(rng.next() % 6)], maybe(intl),
                maybe("19\(90 + Int(rng.next() % 10))-0\(1 + Int(rng.next() % 9))-01 00:00:00"),
                maybe(rng.next() % 2 == 0 ? "O" : "W"), String(rng.next() % 16), maybe("\(Int(rng.next() % 5)).0"),
                maybe(branches[Int(rng.next() % 3)]), maybe(String(Double(rng.next() % 1000) / 7)),
                String(1 + rng.next() % 4),
            ].joined(separator: ";"))
        }
        let csv = Array((lines.joined(separator: "\n") + "\n").utf8)
        let table = try CSVReader.read(bytes: csv, name: "gen.csv", options: CSVOptions(workers: 2, chunkCount: 7))
        let fit = try CleaningFit.fit(population: table, catalog: TinyPopulation.catalog)
        let whole = try fit.transform.transform(table: table)
        #expect(whole.rows == 3000)

        // The scorer's stream: same rows, columns reversed, one extra column.
        var reordered: [String] = []
        for line in lines {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            reordered.append((["EXTRA"] + fields.reversed()).joined(separator: ";"))
        }
        let single = try Self.recordByRecord(fit.transform, csv: Array((reordered.joined(separator: "\n") + "\n").utf8))
        #expect(Self.bitsEqual(whole.raw, single.raw))
        #expect(Self.bitsEqual(whole.scaled, single.scaled))
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
