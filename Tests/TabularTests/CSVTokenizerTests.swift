import Testing

@testable import Tabular

@Suite struct CSVTokenizerTests {
    @Test func recordsIntoReusableFieldBuffer() throws {
        let bytes = Array("1;\"a;\"\"b\";\r\nX;2.0;1992-02-10 00:00:00\n".utf8)
        let tokenizer = CSVTokenizer(separator: UInt8(ascii: ";"))
        var fields: [CSVField] = []
        try bytes.withUnsafeBufferPointer { buffer in
            let next = try tokenizer.record(in: buffer, from: 0, into: &fields)
            #expect(next == 12)  // 12 bytes up to and including \n
            #expect(fields.count == 3)
            #expect(fields[1] == CSVField(start: 3, end: 8, isQuoted: true, hasEscapedQuotes: true))
            #expect(CSVTokenizer.text(of: fields[1], in: buffer) == "a;\"b")
            #expect(fields[2].isEmpty)  // the \r is not part of the last field
            #expect(CSVTokenizer.value(of: fields[0], in: buffer) == .integer(1))
            #expect(CSVTokenizer.value(of: fields[2], in: buffer) == .missing)

            let end = try tokenizer.record(in: buffer, from: next, into: &fields)
            #expect(end == bytes.count)
            #expect(fields.map { CSVTokenizer.text(of: $0, in: buffer) } == ["X", "2.0", "1992-02-10 00:00:00"])
            #expect(CSVTokenizer.value(of: fields[0], in: buffer) == .token)
            #expect(CSVTokenizer.value(of: fields[1], in: buffer) == .integer(2))
            #expect(CSVTokenizer.value(of: fields[2], in: buffer) == .token)
        }
    }

    @Test func unterminatedQuoteReportsRecordStart() {
        let bytes = Array("a;\"b\n".utf8)
        var fields: [CSVField] = []
        #expect(throws: CSVTokenizerError.unterminatedQuote(recordStart: 0)) {
            try bytes.withUnsafeBufferPointer { _ = try CSVTokenizer(separator: 0x3B).record(in: $0, from: 0, into: &fields) }
        }
    }

    @Test(arguments: [
        ("2", FieldValue.integer(2)), ("2.0", .integer(2)), ("-1", .integer(-1)), ("1e3", .integer(1000)),
        ("0.5", .double(0.5)), ("-2.25", .double(-2.25)), (".5", .double(0.5)), ("1.5e-3", .double(0.0015)),
        ("X", .token), ("XX", .token), ("1A", .token), ("-", .token), (".", .token), ("nan", .token),
        ("1e", .token), ("D19_UNBEKANNT", .token), ("1992-02-10 00:00:00", .token), ("+7", .integer(7)),
        ("12345678901234567890", .double(12345678901234567890.0)),
    ])
    func fieldValues(text: String, expected: FieldValue) {
        let bytes = Array(text.utf8)
        let value = bytes.withUnsafeBufferPointer {
            CSVTokenizer.value(of: CSVField(start: 0, end: $0.count), in: $0)
        }
        #expect(value == expected)
    }

    @Test func headerDetectsSeparatorAndIndexColumn() throws {
        let bytes = Array("\u{FEFF};LNR;AGER_TYP\n0;1;2\n".utf8)
        let header = try bytes.withUnsafeBufferPointer { try CSVReader.header(of: $0, name: "h.csv") }
        #expect(header.separator == UInt8(ascii: ";"))
        #expect(header.names == ["", "LNR", "AGER_TYP"])
        #expect(header.hasIndexColumn)
        #expect(header.dataStart == 17)  // 3 BOM bytes + 14 header bytes
    }
}
