import Testing

@testable import Tabular

/// Generated Arvato-like rows: chunked parsing must give exactly the sequential table.
@Suite struct ParallelParseTests {
    /// A deterministic file with small codes, years, fractions, markers, text and gaps.
    static func generated(rows: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let cameo = ["1A", "2D", "6B", "8A", "9E", "XX"]
        var text = ";LNR;AGER_TYP;CAMEO_DEU_2015;CAMEO_DEUG_2015;GEBURTSJAHR;KBA_SHARE;EINGEFUEGT_AM;OST_WEST_KZ\r\n"
        for row in 0..<rows {
            let deug = next(50) == 0 ? "X" : "\(next(9) + 1)"
            let share = next(10) == 0 ? "" : "\(Double(next(1000)) / 8)"
            let year = next(5) == 0 ? "0" : "\(1900 + next(118)).0"
            let date = next(20) == 0 ? "" : "199\(next(10))-0\(next(9) + 1)-1\(next(10)) 00:00:00"
            text += "\(row);\(191_653 + row);\(next(5) - 1);\(cameo[next(6)]);\(deug);\(year);\(share);\(date);"
            text += (next(2) == 0 ? "O" : "W") + "\r\n"
        }
        return Array(text.utf8)
    }

    @Test(arguments: [2, 3, 8, 31])
    func chunkedEqualsSequential(chunks: Int) throws {
        let bytes = Self.generated(rows: 4000)
        let sequential = try CSVReader.read(bytes: bytes, name: "g.csv", options: CSVOptions(workers: 1, chunkCount: 1))
        let parallel = try CSVReader.read(bytes: bytes, name: "g.csv", options: CSVOptions(workers: 2, chunkCount: chunks))
        #expect(parallel == sequential)
    }

    @Test func generatedColumnsHaveTheirKinds() throws {
        let t = try CSVReader.read(bytes: Self.generated(rows: 4000), name: "g.csv")
        #expect(t.rowCount == 4000)
        #expect(t.droppedIndexColumn)
        #expect(t["LNR"]!.value(row: 3999) == .integer(191_653 + 3999))
        if case .int32 = t["LNR"]!.storage {} else { Issue.record("LNR should be Int32") }
        if case .int8 = t["AGER_TYP"]!.storage {} else { Issue.record("AGER_TYP should be Int8") }
        if case .int8 = t["CAMEO_DEUG_2015"]!.storage {} else { Issue.record("CAMEO_DEUG_2015 should be Int8") }
        #expect(t["CAMEO_DEUG_2015"]!.specialTokens.tokens == ["X"])
        if case .int16 = t["GEBURTSJAHR"]!.storage {} else { Issue.record("GEBURTSJAHR should be Int16") }
        if case .double = t["KBA_SHARE"]!.storage {} else { Issue.record("KBA_SHARE should be Double") }
        if case .text(_, let dictionary) = t["CAMEO_DEU_2015"]!.storage {
            #expect(dictionary == ["1A", "2D", "6B", "8A", "9E", "XX"])
        } else {
            Issue.record("CAMEO_DEU_2015 should be text")
        }
        if case .text(_, let dictionary) = t["OST_WEST_KZ"]!.storage {
            #expect(dictionary == ["O", "W"])
        } else {
            Issue.record("OST_WEST_KZ should be text")
        }
    }
}

/// The scorer reads records one at a time with `CSVTokenizer`; it must see what the bulk
/// reader stored, cell for cell.
@Suite struct RecordParityTests {
    @Test func perRecordValuesMatchTheTable() throws {
        let bytes = ParallelParseTests.generated(rows: 1500)
        let table = try CSVReader.read(bytes: bytes, name: "g.csv", options: CSVOptions(workers: 2, chunkCount: 4))
        try bytes.withUnsafeBufferPointer { buffer in
            let header = try CSVReader.header(of: buffer, name: "g.csv")
            let tokenizer = CSVTokenizer(separator: header.separator)
            var fields: [CSVField] = []
            var offset = header.dataStart
            var row = 0
            while offset < buffer.count {
                offset = try tokenizer.record(in: buffer, from: offset, into: &fields)
                #expect(fields.count == header.names.count)
                for (f, field) in fields.enumerated().dropFirst() {  // field 0 is the dropped index
                    let column = table.columns[f - 1]
                    let expected: TableCell
                    switch CSVTokenizer.value(of: field, in: buffer) {
                    case .missing: expected = .missing
                    case .integer(let v):
                        if case .double = column.storage {
                            expected = .double(Double(v))  // a whole number in a column with fractions
                        } else {
                            expected = column.isNumeric ? .integer(Int(v)) : .text("\(v)")
                        }
                    case .double(let v): expected = .double(v)
                    case .token:
                        let text = CSVTokenizer.text(of: field, in: buffer)
                        expected = column.isNumeric ? .special(text) : .text(text)
                    }
                    #expect(column.value(row: row) == expected, "row \(row) column \(column.name)")
                }
                row += 1
            }
            #expect(row == table.rowCount)
        }
    }
}
