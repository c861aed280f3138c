import Foundation
import Testing

@testable import XLSX

/// The worksheet parser on its own: every fixture's sheets, tricky but valid markup, other
/// encodings, and malformed or refused parts (which must fail, never yield rows silently).
@Suite struct SheetParserTests {
    private static let part = "xl/worksheets/sheet1.xml"
    private let parser = SheetParser(
        file: "t.xlsx", part: SheetParserTests.part, sharedStrings: ["zero", "one"],
        styles: CellStyles(dateKinds: [nil, .date]), date1904: false)

    /// Everything one parse hands out: each row as it came, then the merged ranges or the error.
    struct Trace: Equatable, CustomStringConvertible {
        var rows: [String] = []
        var merged: [String] = []
        var error: XLSXError?

        var description: String { "rows \(rows), merged \(merged), error \(error.map { "\($0)" } ?? "none")" }
    }

    private func trace(_ bytes: [UInt8], with parser: SheetParser? = nil) -> Trace {
        let parser = parser ?? self.parser
        var trace = Trace()
        let record = { (index: Int, cells: SheetParser.Row) in
            trace.rows.append("\(index): " + cells.map { "\($0.column)=\($0.value)" }.joined(separator: " "))
        }
        do {
            let merged = try parser.parse(bytes, row: record)
            trace.merged = merged.map(\.a1)
        } catch let error as XLSXError {
            trace.error = error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return trace
    }

    // MARK: The fixtures

    @Test func everyFixtureSheetParses() throws {
        var sheets = 0
        var rows = 0
        for file in Fixtures.all().readable {
            let archive = try ZipArchive(bytes: FileBytesForTests.read(file), name: file)
            var parts: [String: [UInt8]] = [:]
            for name in archive.entryNames where name.hasSuffix(".xml") { parts[name] = try archive.data(forEntry: name) }
            func contains(_ bytes: [UInt8], _ marker: String) -> Bool {
                String(decoding: bytes.prefix(4096), as: UTF8.self).contains(marker)
            }
            // Parts found by what they hold: opc_renamed_parts.xlsx has no standard names.
            let strings = try parts.first { contains($0.value, "<sst") }.map {
                try SharedStrings.parse($0.value, file: file, part: $0.key)
            }
            let styles = try parts.first { contains($0.value, "<styleSheet") }.map {
                try CellStyles.parse($0.value, file: file, part: $0.key)
            }
            for (name, bytes) in parts.sorted(by: { $0.key < $1.key })
            where contains(bytes, "sheetData") && !contains(bytes, "<workbook") {
                let parser = SheetParser(
                    file: file, part: name, sharedStrings: strings, styles: styles ?? CellStyles(), date1904: false)
                let reference = trace(bytes, with: parser)
                #expect(reference.error == nil, "\(file) \(name): \(reference)")
                sheets += 1
                rows += reference.rows.count
            }
        }
        #expect(sheets >= 30, "only \(sheets) worksheet parts found")
        #expect(rows > 30_001, "only \(rows) rows compared")
    }

    // MARK: Valid markup

    /// Prefixes, both quote styles, attributes in any order and with spaces around `=`, entity
    /// and character references, CDATA (also split to carry `]]>`), comments and processing
    /// instructions in and around the sheet data, CR LF line ends, rich and phonetic runs,
    /// a default-namespace row inside a prefixed sheet, and a BOM.
    @Test func trickySyntaxIsRead() throws {
        let xml = "\u{FEFF}<?xml version='1.0' encoding='utf-8' standalone='yes'?>\r\n"
            + "<!-- before the root --><?mso-application progid=\"Excel.Sheet\"?>\n"
            + "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"\n"
            + "  xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\n"
            + "  <x:sheetPr><x:outlinePr summaryBelow='0'/></x:sheetPr>\n"
            + "  <x:sheetData >\n"
            + "    <x:row spans=\"1:3\" r='1' >\n"
            + "      <x:c t=\"s\" r=\"A1\" s = '0' ><x:v>1</x:v></x:c>\n"
            + "      <x:c s=\"1\" r='B1'><x:v>42795</x:v></x:c>\n"
            + "      <x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; "
            + "&#65;&#x42;&#x20AC;</x:t></x:is></x:c>\n"
            + "    </x:row>\n"
            + "    <!-- <x:row r=\"9\"><x:c><x:v>9</x:v></x:c></x:row> -->\n"
            + "    <x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t><![CDATA[<not a tag> & ]]]]><![CDATA[>]]>"
            + "</x:t></x:is></x:c>\n"
            + "      <x:c r=\"B2\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>line1&#10;line2\r\nline3\rline4</x:v></x:c>\n"
            + "      <x:c r=\"C2\"/><x:c r=\"D2\" t=\"b\"><x:v>0</x:v></x:c><?pi inside?>"
            + "<x:c r=\"E2\" t=\"e\"><x:v>#DIV/0!</x:v></x:c>\n"
            + "      <x:c r=\"F2\" t=\"inlineStr\"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t xml:space=\"preserve\"> Grüße </x:t>"
            + "</x:r><x:rPh sb=\"0\" eb=\"1\"><x:t>ignored</x:t></x:rPh><x:r><x:t>!</x:t></x:r></x:is></x:c>\n"
            + "    </x:row>\n"
            + "    <row xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" r=\"4\">"
            + "<c><v> 1.5E+3 </v></c><c t='d'><v>2017-03-01</v></c></row>\n"
            + "  </x:sheetData>\n"
            + "  <x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B1\"/></x:mergeCells>\n"
            + "</x:worksheet>\n<!-- after the root -->\n"
        let bytes = Array(xml.utf8)
        var rows: [Int: [Int: CellValue]] = [:]
        let merged = try parser.parse(bytes) { index, cells in
            for (column, value) in cells { rows[index, default: [:]][column] = value }
        }
        #expect(rows.keys.sorted() == [0, 1, 3])
        #expect(
            rows[0] == [
                0: .text("one"), 1: .date(ExcelDate(serial: 42795, date1904: false, kind: .date)),
                2: .text("a & b <c> \"d\" 'e' AB€"),
            ])
        #expect(
            rows[1] == [
                0: .text("<not a tag> & ]]>"), 1: .text("line1\nline2\nline3\nline4"), 3: .bool(false),
                4: .error("#DIV/0!"), 5: .text(" Grüße !"),
            ])
        #expect(rows[3] == [0: .number(1500), 1: .date(ExcelDate(serial: 42795, date1904: false, kind: .date))])
        #expect(merged.map(\.a1) == ["A1:B1"])
    }

    // MARK: Other encodings, unusual and malformed markup

    private let head = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    private let tail = "</sheetData></worksheet>"

    /// Valid XML in less common forms is read like any other.
    @Test(arguments: [
        // Another encoding (é as one Latin-1 byte, spliced in below).
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
        // References and tabs in attribute values, which XML normalises.
        "<row r=\"2\" x=\"a&amp;b\"><c r=\"A2\"><v>2</v></c></row>",
        "<row r=\"2\" x=\"a\tb\"><c r=\"A2\"><v>2</v></c></row>",
        // A non-ASCII element name.
        "<row r=\"2\"><größe/><c r=\"A2\"><v>2</v></c></row>",
        // XML 1.1.
        "<?xml version=\"1.1\"?>",
    ])
    func unusualValidMarkupIsRead(_ piece: String) throws {
        var bytes: [UInt8]
        if piece.hasPrefix("<?xml") {
            bytes = Array((piece + head + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>caf").utf8)
            bytes += piece.contains("ISO") ? [0xE9] : Array("é".utf8)
            bytes += Array(("</t></is></c></row>" + tail).utf8)
        } else {
            bytes = Array((head + "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + piece + tail).utf8)
        }
        let result = trace(bytes)
        #expect(result.error == nil, "\(result)")
        if piece.hasPrefix("<?xml") {
            #expect(result.rows == ["0: 0=text(\"café\")"])
        } else {
            #expect(result.rows == ["0: 0=number(1.0)", "1: 0=number(2.0)"])
        }
    }

    /// Malformed or refused parts fail.
    @Test(arguments: [
        "<!DOCTYPE worksheet [<!ENTITY x \"y\">]>" + "<worksheet><sheetData/></worksheet>",
        "<worksheet><sheetData><row><c><v>1&nbsp;</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData>\n<row><c><v>1</v></row>\n</sheetData></worksheet>",
        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>a]]>b</t></is></c></row></sheetData></worksheet>",
        "<worksheet><!-- a -- b --><sheetData/></worksheet>",
        "<worksheet><sheetData><row><c r=\"A1\" r=\"B1\"><v>1</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c r=\"A1\"t=\"n\"><v>1</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c><v>1&#1;</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c><v>1\u{1}</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet><worksheet/>",
        "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData>",
        "<worksheet><sheetData><row><c><v>1</v></c></row><![CDATA[x]]></sheetData></worksheet>trailing text",
        "  <?xml version=\"1.0\"?><worksheet/>",
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet",
        "",
    ])
    func malformedMarkupFails(_ xml: String) {
        #expect(trace(Array(xml.utf8)).error != nil)
    }

    @Test func invalidUTF8Fails() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xC0, 0xAF]] {
            let bytes = Array((head + "<row><c t=\"inlineStr\"><is><t>a").utf8) + bad
                + Array(("</t></is></c></row>" + tail).utf8)
            #expect(trace(bytes).error != nil, "\(bad)")
        }
    }

    /// A bad cell is an error naming the part and the cell, not a value.
    @Test func contentErrorsNameTheCell() {
        for (cell, reason) in [
            ("<c r=\"A1\"><v>1x</v></c>", "cell A1 has an invalid number \"1x\""),
            ("<c r=\"1A\"><v>1</v></c>", "invalid cell reference \"1A\""),
            ("<c r=\"A1\" t=\"b\"><v>2</v></c>", "cell A1 has an invalid boolean \"2\""),
            ("<c r=\"A1\" t=\"d\"><v>yesterday</v></c>", "cell A1 has an invalid ISO 8601 date \"yesterday\""),
        ] {
            let bytes = Array((head + "<row r=\"1\">" + cell + "</row>" + tail).utf8)
            #expect(trace(bytes).error == .invalidContent(file: "t.xlsx", part: Self.part, reason: reason), "\(cell)")
        }
        let missing = Array((head + "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>" + tail).utf8)
        #expect(
            trace(missing).error
                == .missingSharedString(file: "t.xlsx", part: Self.part, cell: "A1", index: 9, tableSize: 2))
    }

    // MARK: Whole sheets

    private func sheetXML(rows: Int, defectAtRow: Int? = nil, commentedRow: Int? = nil) -> [UInt8] {
        var xml = "<?xml version=\"1.0\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<sheetData>\n"
        for r in 1...rows {
            let close = r == defectAtRow ? "</rox>" : "</row>"
            var row = "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r)</v></c><c r=\"C\(r)\" t=\"s\"><v>0</v></c>\(close)"
            if r == commentedRow { row = "<!-- " + row + " -->" }
            xml += row + "\n"
        }
        xml += "</sheetData><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>"
        return Array(xml.utf8)
    }

    @Test func wholeSheetIsGatheredIntoRows() throws {
        let grid = try SheetGrid.read(sheetXML(rows: 101), with: parser)
        #expect(grid.rows.count == 101)
        #expect(grid.rows[0] == [.number(1), nil, .text("zero")])
        #expect(grid.rows[100] == [.number(101), nil, .text("zero")])
        #expect(grid.merged.map(\.a1) == ["A1:B1"])
    }

    /// A row inside a comment is no row: its place stays empty.
    @Test func commentedRowIsSkipped() throws {
        let grid = try SheetGrid.read(sheetXML(rows: 50, commentedRow: 25), with: parser)
        #expect(grid.rows.count == 50)
        #expect(grid.rows.indices.filter { grid.rows[$0].isEmpty } == [24])
    }

    /// libxml2's error names the line of the defect.
    @Test(arguments: [10, 90])
    func malformedRowErrorNamesItsLine(defect: Int) {
        let error = #expect(throws: XLSXError.self) { _ = try SheetGrid.read(sheetXML(rows: 101, defectAtRow: defect), with: parser) }
        guard case .malformedXML(_, _, let line, _) = error else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
        #expect(line == defect + 2)  // the XML declaration, the root line, then the row
    }
}
