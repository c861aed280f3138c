import CZlib
import Foundation
import Testing

@testable import XLSX

// The writer is checked without Prospector's XLSX reader: the zip container is parsed
// by hand here (CRCs from a bitwise CRC-32, data inflated with zlib directly), Python's
// zipfile reads it as a second opinion, and XML parts are compared with hand-written text.

@Suite struct ZipWriterTests {
    @Test func bitwiseCRCMatchesTheStandardCheckValue() {
        // CRC-32/ISO-HDLC check value for "123456789" (from the CRC catalogue).
        #expect(bitwiseCRC32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func layoutParsedByHand() throws {
        let text = Array(String(repeating: "<row>compressible</row>", count: 200).utf8)
        var writer = ZipWriter()
        try writer.addEntry(name: "a.txt", data: Array("hello".utf8), method: .store)
        try writer.addEntry(name: "dir/b.xml", data: text)
        try writer.addEntry(name: "empty", data: [])
        try writer.addEntry(name: "x", data: [7])  // deflate would grow one byte: stored instead
        try writer.addEntry(name: "größe.txt", data: Array("ü".utf8))
        let archive = try writer.finish()

        let parsed = try HandParsedZip(archive)
        #expect(parsed.entries.map(\.name) == ["a.txt", "dir/b.xml", "empty", "x", "größe.txt"])
        #expect(parsed.entries.map(\.method) == [0, 8, 0, 0, 0])
        #expect(parsed.entries[1].compressedSize < text.count / 10)
        #expect(parsed.entries[4].flags == 1 << 11)  // UTF-8 name flag
        #expect(parsed.entries[0].flags == 0)
        let expected: [[UInt8]] = [Array("hello".utf8), text, [], [7], Array("ü".utf8)]
        for (entry, data) in zip(parsed.entries, expected) {
            #expect(entry.data == data, "content of \(entry.name)")
            #expect(entry.crc == bitwiseCRC32(data), "CRC of \(entry.name)")
            // 1980-01-01 00:00 in DOS format.
            #expect(entry.dosTime == 0 && entry.dosDate == 0x21)
        }
    }

    @Test func refusesDuplicateAndEmptyNames() throws {
        var writer = ZipWriter()
        try writer.addEntry(name: "a", data: [1])
        #expect(throws: ZipWriterError.duplicateEntry("a")) { try writer.addEntry(name: "a", data: [2]) }
        #expect(throws: ZipWriterError.invalidEntryName("")) { try writer.addEntry(name: "", data: [2]) }
    }

    @Test(.enabled(if: pythonPath != nil, "needs /usr/bin/python3 for an independent unzip"))
    func pythonZipfileReadsTheArchive() throws {
        let text = Array(String(repeating: "abc\u{e9}\n", count: 500).utf8)
        var writer = ZipWriter()
        try writer.addEntry(name: "stored.txt", data: Array("plain".utf8), method: .store)
        try writer.addEntry(name: "deflated.txt", data: text)
        try writer.addEntry(name: "ünï.txt", data: Array("x".utf8))
        let listing = try pythonZipListing(try writer.finish())
        #expect(listing.map(\.name) == ["stored.txt", "deflated.txt", "ünï.txt"])
        #expect(listing.map(\.content) == ["plain", String(decoding: text, as: UTF8.self), "x"])
        #expect(listing.map(\.method) == [0, 8, 0])
    }
}

@Suite struct XLSXWriterTests {
    static let sample: [Worksheet] = {
        var values = Worksheet(name: "Values", mergedRanges: [CellRange(a1: "A3:A4")!])
        values[0, 0] = .text("Attribute")
        values[0, 1] = .text("Value")
        values[1, 0] = .text("AGER_TYP")
        values[1, 1] = .number(-1)
        values[2, 0] = .text("Attribute")  // a repeat: shared once
        values[2, 2] = .bool(true)
        values[4, 1] = .date(ExcelDate(serial: 42795, date1904: false, kind: .date))
        let other = Worksheet(name: "Other", rows: [[.number(0.25), .error("#N/A")]])
        return [values, other]
    }()

    @Test func worksheetXMLMatchesHandWrittenText() throws {
        var strings = SharedStringTableBuilder()
        let xml = try WorksheetXMLWriter(date1904: false).xml(for: Self.sample[0], strings: &strings)
        let expected =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<dimension ref="A1:C5"/><sheetData>"#
            + #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#
            + #"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>-1</v></c></row>"#
            + #"<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" t="b"><v>1</v></c></row>"#
            + #"<row r="5"><c r="B5" s="1"><v>42795</v></c></row>"#
            + #"</sheetData><mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells></worksheet>"#
        #expect(String(decoding: xml, as: UTF8.self) == expected)

        let sst = String(decoding: strings.xml(), as: UTF8.self)
        #expect(
            sst == #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="3">"#
                + "<si><t>Attribute</t></si><si><t>Value</t></si><si><t>AGER_TYP</t></si></sst>")
    }

    @Test func emptySheetHasDimensionA1() throws {
        var strings = SharedStringTableBuilder()
        let xml = try WorksheetXMLWriter(date1904: false).xml(for: Worksheet(name: "E"), strings: &strings)
        #expect(String(decoding: xml, as: UTF8.self).hasSuffix(#"<dimension ref="A1"/><sheetData></sheetData></worksheet>"#))
        #expect(strings.isEmpty)
    }

    @Test func numbersUseShortestRoundTrippingText() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (42, "42"), (0.1, "0.1"), (-2.5, "-2.5"),
            (123_456_789_012_345, "123456789012345"), (1e15, "1000000000000000"),
            (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9007199254740992"), (1e16, "1e+16"), (1e20, "1e+20"), (1e-7, "1e-07"),
            (3.141592653589793, "3.141592653589793"), (0.30000000000000004, "0.30000000000000004"),
        ]
        for (value, text) in cases {
            var out = XMLByteWriter()
            WorksheetXMLWriter.writeNumber(value, into: &out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == text, "\(value)")
            #expect(Double(text) == value)
        }
    }

    @Test func escaping() {
        let cases: [(String, String)] = [
            ("plain", "plain"),
            (#"a & b < c > d "e""#, "a &amp; b &lt; c &gt; d &quot;e&quot;"),
            ("tab\tand\nnewline", "tab\tand\nnewline"),
            ("cr\r\n", "cr&#13;\n"),
            ("nul\u{0}bell\u{7}esc\u{1B}us\u{1F}", "nul_x0000_bell_x0007_esc_x001B_us_x001F_"),
            ("looks escaped _x0041_ and _xbeef_", "looks escaped _x005F_x0041_ and _x005F_xbeef_"),
            ("not escapes: _x _x12 _x123G_ _x1234", "not escapes: _x _x12 _x123G_ _x1234"),
            ("nonchar \u{FFFE}\u{FFFF} kept \u{FFFD}", "nonchar _xFFFE__xFFFF_ kept \u{FFFD}"),
            ("Ünïcødé 🎉", "Ünïcødé 🎉"),
            ("", ""),
        ]
        for (input, expected) in cases {
            var out = XMLByteWriter()
            out.escaped(input)
            #expect(String(decoding: out.bytes, as: UTF8.self) == expected, "\(input.debugDescription)")
        }
    }

    @Test func sharedStringsPreserveOuterWhitespace() throws {
        var strings = SharedStringTableBuilder()
        for text in [" lead", "trail\t", "in side", "\nboth "] { _ = strings.index(of: text) }
        let xml = String(decoding: strings.xml(), as: UTF8.self)
        #expect(
            xml.hasSuffix(
                #"<si><t xml:space="preserve"> lead</t></si><si><t xml:space="preserve">trail"# + "\t"
                    + "</t></si><si><t>in side</t></si>"
                    + #"<si><t xml:space="preserve">"# + "\nboth </t></si></sst>"))
    }

    @Test func outputIsByteIdenticalForIdenticalInput() throws {
        let first = try XLSXWriter().data(for: Self.sample)
        let second = try XLSXWriter().data(for: Self.sample.map { Worksheet(name: $0.name, rows: $0.rows, mergedRanges: $0.mergedRanges) })
        #expect(first == second)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-writer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("book.xlsx").path
        try XLSXWriter().write(Self.sample, to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == first)
        // Only the workbook is left behind, no temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["book.xlsx"])
    }

    @Test func packageHoldsTheExpectedParts() throws {
        let parsed = try HandParsedZip(try XLSXWriter().data(for: Self.sample))
        #expect(
            parsed.entries.map(\.name) == [
                "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
                "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
            ])
        for entry in parsed.entries {
            #expect(entry.crc == bitwiseCRC32(entry.data), "CRC of \(entry.name)")
        }
        let workbook = try #require(parsed.text(of: "xl/workbook.xml"))
        #expect(
            workbook.contains(
                #"<workbookPr/><bookViews><workbookView/></bookViews><sheets><sheet name="Values" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets>"#
            ))
        let rels = try #require(parsed.text(of: "xl/_rels/workbook.xml.rels"))
        #expect(rels.contains(#"Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml""#))
        #expect(rels.contains(#"Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles""#))
        #expect(rels.contains(#"Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings""#))
        let types = try #require(parsed.text(of: "[Content_Types].xml"))
        #expect(types.contains(#"<Override PartName="/xl/worksheets/sheet2.xml" "#))
        #expect(types.contains(#"<Override PartName="/xl/sharedStrings.xml" "#))
        let styles = try #require(parsed.text(of: "xl/styles.xml"))
        #expect(styles.contains(#"<cellXfs count="4"><xf numFmtId="0" "#))
        #expect(styles.contains(#"<xf numFmtId="14" "#) && styles.contains(#"<xf numFmtId="22" "#))
        let sheet2 = try #require(parsed.text(of: "xl/worksheets/sheet2.xml"))
        #expect(sheet2.contains(#"<row r="1"><c r="A1"><v>0.25</v></c><c r="B1" t="e"><v>#N/A</v></c></row>"#))
    }

    @Test func workbookWithoutTextHasNoSharedStringsPart() throws {
        let parsed = try HandParsedZip(try XLSXWriter().data(for: [Worksheet(name: "N", rows: [[.number(1)]])]))
        #expect(!parsed.entries.contains { $0.name == "xl/sharedStrings.xml" })
        #expect(parsed.text(of: "[Content_Types].xml")?.contains("sharedStrings") == false)
        #expect(parsed.text(of: "xl/_rels/workbook.xml.rels")?.contains("sharedStrings") == false)
    }

    @Test func dateSystems() throws {
        let in1904 = ExcelDate(serial: 41333, date1904: true, kind: .date)  // 2017-03-01
        let in1900 = ExcelDate(serial: 42795, date1904: false, kind: .dateTime)  // 2017-03-01
        let time = ExcelDate(serial: 0.5, date1904: true, kind: .time)

        let all1904 = try HandParsedZip(try XLSXWriter().data(for: [Worksheet(name: "D", rows: [[.date(in1904)]])]))
        #expect(all1904.text(of: "xl/workbook.xml")?.contains(#"<workbookPr date1904="1"/>"#) == true)
        #expect(all1904.text(of: "xl/worksheets/sheet1.xml")?.contains(#"<c r="A1" s="1"><v>41333</v>"#) == true)

        // Mixed systems: the workbook uses 1900 and 1904 serials move by 1462 days; bare times stay.
        let mixed = try HandParsedZip(
            try XLSXWriter().data(for: [Worksheet(name: "D", rows: [[.date(in1904), .date(in1900), .date(time)]])]))
        #expect(mixed.text(of: "xl/workbook.xml")?.contains("<workbookPr/>") == true)
        #expect(
            mixed.text(of: "xl/worksheets/sheet1.xml")?.contains(
                #"<c r="A1" s="1"><v>42795</v></c><c r="B1" s="2"><v>42795</v></c><c r="C1" s="3"><v>0.5</v></c>"#) == true)
    }

    @Test func sheetNamesAreValidated() throws {
        func names(_ names: String...) throws {
            _ = try XLSXWriter().data(for: names.map { Worksheet(name: $0) })
        }
        try names("A", String(repeating: "x", count: 31), "Spaces & <ok>")
        #expect(throws: XLSXWriterError.noSheets) { try XLSXWriter().data(for: []) }
        #expect(throws: XLSXWriterError.invalidSheetName("", reason: "must be 1 to 31 characters long, is 0")) {
            try names("")
        }
        let long = String(repeating: "x", count: 32)
        #expect(throws: XLSXWriterError.invalidSheetName(long, reason: "must be 1 to 31 characters long, is 32")) {
            try names(long)
        }
        for bad in ["a[b", "a]b", "a:b", "a*b", "a?b", "a/b", "a\\b", "a\u{1}b", "'quoted'"] {
            #expect(performing: { try names(bad) }, throws: { error in
                if case XLSXWriterError.invalidSheetName(bad, _) = error { return true }
                return false
            })
        }
        #expect(throws: XLSXWriterError.duplicateSheetName("data")) { try names("Data", "data") }
    }

    @Test func badCellsAndMergesAreRefused() {
        #expect(throws: XLSXWriterError.nonFiniteNumber(sheet: "S", cell: "B1")) {
            try XLSXWriter().data(for: [Worksheet(name: "S", rows: [[.number(1), .number(.nan)]])])
        }
        let long = String(repeating: "y", count: 32_768)
        #expect(throws: XLSXWriterError.textTooLong(sheet: "S", cell: "A2", length: 32_768)) {
            try XLSXWriter().data(for: [Worksheet(name: "S", rows: [[], [.text(long)]])])
        }
        let overlapping = Worksheet(name: "S", mergedRanges: [CellRange(a1: "A1:B3")!, CellRange(a1: "B2:C2")!])
        #expect(
            throws: XLSXWriterError.invalidMergedRange(sheet: "S", range: "A1:B3", reason: "overlaps merged range B2:C2")
        ) { try XLSXWriter().data(for: [overlapping]) }
        let single = Worksheet(name: "S", mergedRanges: [CellRange(a1: "C3")!])
        #expect(
            throws: XLSXWriterError.invalidMergedRange(sheet: "S", range: "C3", reason: "a merge must span at least two cells")
        ) { try XLSXWriter().data(for: [single]) }
        // Side by side is fine.
        let adjacent = Worksheet(name: "S", mergedRanges: [CellRange(a1: "A1:A3")!, CellRange(a1: "B1:B3")!])
        #expect(throws: Never.self) { try XLSXWriter().data(for: [adjacent]) }
    }

    @Test(.enabled(if: pythonPath != nil, "needs /usr/bin/python3 for an independent unzip"))
    func pythonZipfileReadsTheWorkbook() throws {
        let listing = try pythonZipListing(try XLSXWriter().data(for: Self.sample))
        #expect(listing.count == 10)
        #expect(listing.first?.name == "[Content_Types].xml")
        let sheet2 = listing.first { $0.name == "xl/worksheets/sheet2.xml" }
        #expect(sheet2?.content.contains(#"<c r="A1"><v>0.25</v></c>"#) == true)
    }
}

// MARK: - Independent helpers

/// CRC-32 (reflected polynomial 0xEDB88320) one bit at a time: slow, obviously right.
func bitwiseCRC32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

struct ZipParseError: Error, CustomStringConvertible {
    var description: String
}

/// Reads a zip the slow, literal way: EOCD → central directory → each local header.
struct HandParsedZip {
    struct Entry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var dosTime: UInt16
        var dosDate: UInt16
        var crc: UInt32
        var compressedSize: Int
        var data: [UInt8]
    }

    var entries: [Entry] = []

    init(_ zip: [UInt8]) throws {
        func u16(_ at: Int) -> UInt16 { UInt16(zip[at]) | UInt16(zip[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        func check(_ condition: Bool, _ what: String) throws { if !condition { throw ZipParseError(description: what) } }

        let eocd = zip.count - 22  // the writer adds no archive comment
        try check(eocd >= 0 && u32(eocd) == 0x0605_4b50, "end of central directory signature")
        let count = Int(u16(eocd + 10))
        try check(u16(eocd + 8) == count, "entries on this disk")
        let directorySize = Int(u32(eocd + 12))
        var p = Int(u32(eocd + 16))
        try check(p + directorySize == eocd, "central directory ends where EOCD starts")
        for _ in 0..<count {
            try check(u32(p) == 0x0201_4b50, "central directory header signature")
            let nameLength = Int(u16(p + 28))
            let name = String(decoding: zip[p + 46..<p + 46 + nameLength], as: UTF8.self)
            let local = Int(u32(p + 42))
            try check(u32(local) == 0x0403_4b50, "local header signature of \(name)")
            // The local header must agree with the central directory.
            for (l, c) in [(6, 8), (8, 10), (10, 12), (12, 14), (14, 16), (18, 20), (22, 24), (26, 28)] {
                try check(u16(local + l) == u16(p + c), "local/central field at +\(l) of \(name)")
            }
            try check(u32(local + 14) == u32(p + 16), "CRC in local header of \(name)")
            let compressedSize = Int(u32(p + 20))
            let size = Int(u32(p + 24))
            let start = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
            let raw = Array(zip[start..<start + compressedSize])
            let method = u16(p + 10)
            let data: [UInt8]
            switch method {
            case 0: data = raw
            case 8: data = try rawInflate(raw, expectedSize: size)
            default: throw ZipParseError(description: "unexpected method \(method) for \(name)")
            }
            try check(data.count == size, "uncompressed size of \(name)")
            entries.append(
                Entry(
                    name: name, flags: u16(p + 8), method: method, dosTime: u16(p + 12), dosDate: u16(p + 14),
                    crc: u32(p + 16), compressedSize: compressedSize, data: data))
            p += 46 + nameLength + Int(u16(p + 30)) + Int(u16(p + 32))
        }
    }

    func text(of name: String) -> String? {
        entries.first { $0.name == name }.map { String(decoding: $0.data, as: UTF8.self) }
    }
}

private func rawInflate(_ input: [UInt8], expectedSize: Int) throws -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw ZipParseError(description: "inflateInit2 failed")
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: expectedSize + 1)
    var input = input
    let status = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            return inflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { throw ZipParseError(description: "inflate status \(status)") }
    return Array(output[0..<Int(stream.total_out)])
}

let pythonPath: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : nil

/// Names, methods and contents as Python's zipfile module (which verifies CRCs) reads them.
func pythonZipListing(_ archive: [UInt8]) throws -> [(name: String, method: Int, content: String)] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID()).zip")
    try Data(archive).write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }
    let script = """
        import json, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        print(json.dumps([[i.filename, i.compress_type, z.read(i).decode("utf-8")] for i in z.infolist()]))
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(pythonPath))
    process.arguments = ["-c", script, path.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let rows = try #require(try JSONSerialization.jsonObject(with: output) as? [[Any]])
    return try rows.map { row in
        (try #require(row[0] as? String), try #require(row[1] as? Int), try #require(row[2] as? String))
    }
}
