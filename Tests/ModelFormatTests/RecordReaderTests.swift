import Tabular
import Testing

@testable import ModelFormat

@Suite("Record reader")
struct RecordReaderTests {
    static let transform = CleaningTransform(
        idColumn: "LNR",
        inputs: [
            InputColumn(name: "N", reading: .number),
            InputColumn(name: "C", reading: .category(vocabulary: ["1A", "2B", "D19_UNBEKANNT"])),
            InputColumn(name: "Y", reading: .year),
            InputColumn(name: "M", reading: .number),
        ],
        features: [],
        maxRowMissingShare: 0.5)

    /// The general path: the tokenizer's fields, then `read(fields:)`.
    static func viaTokenizer(_ reader: RecordReader, _ line: [UInt8]) -> (values: [Double], unreadable: RecordReader.UnreadableField?, fields: Int) {
        var out = [Double](repeating: -99, count: 4)
        var fields: [CSVField] = []
        let unreadable = line.withUnsafeBufferPointer { bytes in
            _ = try? CSVTokenizer(separator: UInt8(ascii: ";")).record(in: bytes, from: 0, into: &fields)
            return fields.count == reader.fieldCount
                ? out.withUnsafeMutableBufferPointer { reader.read(fields: fields, in: bytes, into: $0) } : nil
        }
        return (out, unreadable, fields.count)
    }

    @Test("an unquoted line reads exactly as the tokenizer's fields do (values, bits, errors, id)")
    func sameAsTokenizer() throws {
        let reader = try RecordReader(transform: Self.transform, header: ["M", "LNR", "EXTRA", "C", "N", "Y"])
        let lines = [
            "4.0;17;x;2B;-3;1992-02-10 00:00:00", "4.;18;;D19_UNBEKANNT;0.5;1992", "-0;19;y;9Z;1e3;",
            "+2;20;z;;  7;abcd", "12345678901234567890;21;;1A;.5;2001-1", "3.10;22;;1A;-;2000-01-01\r",
            "X;23;;1A;XX;", "1.0e1;24;;2B;nan;1999", "007;25;;1A;-12.000;1999\r",
        ]
        for text in lines {
            Self.expectSameAsTokenizer(reader, text, id: text.split(separator: ";", omittingEmptySubsequences: false)[1].description)
        }
    }

    /// Reads `text` with `read(unquotedLine:)` and expects the values (bit for bit), the
    /// outcome and the id of the tokenizer's path.
    static func expectSameAsTokenizer(_ reader: RecordReader, _ text: String, id expectedId: String) {
        let line = Array(text.utf8)
        let expected = viaTokenizer(reader, line)
        var out = [Double](repeating: -99, count: 4)
        var id: Range<Int>?
        let result = line.withUnsafeBufferPointer { bytes in
            out.withUnsafeMutableBufferPointer {
                reader.read(unquotedLine: bytes, separator: UInt8(ascii: ";"), into: $0, idRange: &id)
            }
        }
        #expect(out.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(text): \(out) vs \(expected.values)")
        #expect(result == (expected.unreadable.map { .unreadable($0) } ?? .read), "\(text)")
        #expect(id.map { String(decoding: line[$0], as: UTF8.self) } == expectedId, "\(text)")
    }

    @Test("every short number-like field (up to 5 of 0 1 9 - . x) reads as the tokenizer's, inside the line or at its end")
    func shortFieldsSameAsTokenizer() throws {
        let alphabet = ["0", "1", "9", "-", ".", "x"]
        var tokens = [""]
        var last = [""]
        for _ in 1...5 {
            last = last.flatMap { prefix in alphabet.map { prefix + $0 } }
            tokens += last
        }
        tokens += ["1234567", "-123456", "123456.", "12.0000", "-0", "00000007"]
        // N and M well before the line's end, then as its last fields.
        let early = try RecordReader(transform: Self.transform, header: ["N", "LNR", "M", "C", "Y", "EXTRA"])
        let late = try RecordReader(transform: Self.transform, header: ["LNR", "C", "Y", "N", "M"])
        for token in tokens {
            for (reader, text) in [(early, "\(token);17;\(token);1A;1999;padding-padding"), (late, "17;1A;1999;\(token);\(token)")] {
                Self.expectSameAsTokenizer(reader, text, id: "17")
            }
        }
    }

    @Test("hand-read values: whole numbers however written, categories by position, years, missing markers")
    func handRead() throws {
        let reader = try RecordReader(transform: Self.transform, header: ["LNR", "N", "C", "Y", "M"])
        let line = Array("7;-12.000;D19_UNBEKANNT;2004-07-27 00:00:00;XX".utf8)
        var out = [Double](repeating: -99, count: 4)
        var id: Range<Int>?
        let result = line.withUnsafeBufferPointer { bytes in
            out.withUnsafeMutableBufferPointer { reader.read(unquotedLine: bytes, separator: UInt8(ascii: ";"), into: $0, idRange: &id) }
        }
        #expect(result == .read)
        #expect(out[0] == -12 && out[1] == 2 && out[2] == 2004 && out[3].isNaN)
        #expect(id == 0..<1)
    }

    @Test("a line with the wrong number of fields says how many it has")
    func fieldCount() throws {
        let reader = try RecordReader(transform: Self.transform, header: ["LNR", "N", "C", "Y", "M"])
        for (text, count) in [("1;2;1A;1990", 4), ("1;2;1A;1990;3;4", 6), ("5", 1)] {
            let line = Array(text.utf8)
            var out = [Double](repeating: 0, count: 4)
            var id: Range<Int>?
            let result = line.withUnsafeBufferPointer { bytes in
                out.withUnsafeMutableBufferPointer { reader.read(unquotedLine: bytes, separator: UInt8(ascii: ";"), into: $0, idRange: &id) }
            }
            #expect(result == .wrongFieldCount(count), "\(text)")
            #expect(id == 0..<1)
        }
        #expect(Array("1;\"2\"".utf8).withUnsafeBufferPointer { RecordReader.hasQuote($0) })
        #expect(!Array("1;2".utf8).withUnsafeBufferPointer { RecordReader.hasQuote($0) })
    }
}
