import Foundation
import Testing

@testable import XLSX

/// The byte scanner must read exactly what libxml2 reads: the same rows in the same order, the
/// same merged ranges, the same errors; and whatever it does not handle itself it must hand to
/// libxml2 without handing any row on twice.
@Suite struct SheetScannerTests {
    private static let part = "xl/worksheets/sheet1.xml"
    private let parser = SheetParser(
        file: "t.xlsx", part: SheetScannerTests.part, sharedStrings: ["zero", "one"],
        styles: CellStyles(dateKinds: [nil, .date]), date1904: false)

    /// Everything one parse hands out: each row as it came, then the merged ranges or the error.
    struct Trace: Equatable, CustomStringConvertible {
        var rows: [String] = []
        var merged: [String] = []
        var error: XLSXError?

        var description: String { "rows \(rows), merged \(merged), error \(error.map { "\($0)" } ?? "none")" }
    }

    private func trace(_ bytes: [UInt8], with parser: SheetParser? = nil, libXML2Only: Bool = false) -> Trace {
        let parser = parser ?? self.parser
        var trace = Trace()
        let record = { (index: Int, cells: SheetParser.Row) in
            trace.rows.append("\(index): " + cells.map { "\($0.column)=\($0.value)" }.joined(separator: " "))
        }
        do {
            let merged =
                libXML2Only ? try parser.parseWithLibXML2(bytes, row: record) : try parser.parse(bytes, row: record)
            trace.merged = merged.map(\.a1)
        } catch let error as XLSXError {
            trace.error = error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return trace
    }

    /// Whether the scanner reads the whole part itself, without handing it to libxml2.
    private func scannedAlone(_ bytes: [UInt8], with parser: SheetParser? = nil) -> Bool {
        var content = SheetContent(parser: parser ?? self.parser, emit: { _, _ in })
        return (try? bytes.withUnsafeBufferPointer { (buffer) throws(XLSXError) in
            try SheetScanner.scanDocument(buffer, into: &content)
        }) ?? false
    }

    // MARK: Parity on the fixtures

    @Test func everyFixtureSheetScansLikeLibXML2() throws {
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
                #expect(scannedAlone(bytes, with: parser), "\(file) \(name) was handed to libxml2")
                let scanned = trace(bytes, with: parser)
                let reference = trace(bytes, with: parser, libXML2Only: true)
                #expect(scanned == reference, "\(file) \(name)")
                #expect(reference.error == nil, "\(file) \(name): \(reference)")
                sheets += 1
                rows += reference.rows.count
            }
        }
        #expect(sheets >= 30, "only \(sheets) worksheet parts found")
        #expect(rows > 30_001, "only \(rows) rows compared")
    }

    // MARK: Syntax the scanner handles itself

    /// Prefixes, both quote styles, attributes in any order and with spaces around `=`, entity
    /// and character references, CDATA (also split to carry `]]>`), comments and processing
    /// instructions in and around the sheet data, CR LF line ends, rich and phonetic runs,
    /// a default-namespace row inside a prefixed sheet, and a BOM.
    @Test func trickySyntaxIsReadWithoutLibXML2() throws {
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
        #expect(scannedAlone(bytes))
        let scanned = trace(bytes)
        #expect(scanned == trace(bytes, libXML2Only: true))

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

    // MARK: Hand-backs to libxml2

    private let head = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    private let tail = "</sheetData></worksheet>"

    /// Valid XML the scanner leaves to libxml2: the result is libxml2's.
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
    func validMarkupIsHandedToLibXML2(_ piece: String) throws {
        var bytes: [UInt8]
        if piece.hasPrefix("<?xml") {
            bytes = Array((piece + head + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>caf").utf8)
            bytes += piece.contains("ISO") ? [0xE9] : Array("é".utf8)
            bytes += Array(("</t></is></c></row>" + tail).utf8)
        } else {
            bytes = Array((head + "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + piece + tail).utf8)
        }
        #expect(!scannedAlone(bytes))
        let scanned = trace(bytes)
        #expect(scanned == trace(bytes, libXML2Only: true))
        #expect(scanned.error == nil, "\(scanned)")
        if piece.hasPrefix("<?xml") {
            #expect(scanned.rows == ["0: 0=text(\"café\")"])
        } else {
            #expect(scanned.rows == ["0: 0=number(1.0)", "1: 0=number(2.0)"])
        }
    }

    /// Malformed or refused parts: the scanner gives up and the error is libxml2's, line and all.
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
    func malformedMarkupGivesLibXML2sError(_ xml: String) {
        let bytes = Array(xml.utf8)
        #expect(!scannedAlone(bytes))
        let scanned = trace(bytes)
        #expect(scanned == trace(bytes, libXML2Only: true))
        #expect(scanned.error != nil)
    }

    @Test func invalidUTF8IsLeftToLibXML2() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xC0, 0xAF]] {
            let bytes = Array((head + "<row><c t=\"inlineStr\"><is><t>a").utf8) + bad
                + Array(("</t></is></c></row>" + tail).utf8)
            #expect(!scannedAlone(bytes))
            let scanned = trace(bytes)
            #expect(scanned == trace(bytes, libXML2Only: true))
            #expect(scanned.error != nil, "\(bad)")
        }
    }

    /// When the scanner gives up midway, the rows it already handed on are not handed on again.
    @Test func rowsBeforeAHandBackAreEmittedOnce() throws {
        var xml = head
        for r in 1...5 {
            let extra = r == 4 ? " note=\"a&amp;b\"" : ""
            xml += "<row r=\"\(r)\"\(extra)><c r=\"A\(r)\"><v>\(r)</v></c></row>"
        }
        let bytes = Array((xml + tail).utf8)
        var content = SheetContent(parser: parser, emit: { _, _ in })
        let scanned = try bytes.withUnsafeBufferPointer { (buffer) throws(XLSXError) in
            try SheetScanner.scanDocument(buffer, into: &content)
        }
        #expect(!scanned && content.rowsEmitted == 3)
        let result = trace(bytes)
        #expect(result.rows == (0..<5).map { "\($0): 0=number(\(Double($0 + 1)))" })
        #expect(result == trace(bytes, libXML2Only: true))
    }

    /// Content errors found by the scanner are the libxml2 path's errors, word for word.
    @Test func contentErrorsMatch() {
        for cell in [
            "<c r=\"A1\"><v>1x</v></c>", "<c r=\"1A\"><v>1</v></c>", "<c r=\"A1\" t=\"s\"><v>9</v></c>",
            "<c r=\"A1\" t=\"b\"><v>2</v></c>", "<c r=\"A1\" t=\"d\"><v>yesterday</v></c>",
        ] {
            let bytes = Array((head + "<row r=\"1\">" + cell + "</row>" + tail).utf8)
            let scanned = trace(bytes)
            #expect(scanned.error != nil)
            #expect(scanned == trace(bytes, libXML2Only: true), "\(cell)")
        }
    }

    // MARK: Damaged input

    /// Random damage to real and hand-written sheets: the scanner path and the libxml2 path must
    /// agree on every row handed on and on the outcome.
    @Test func damagedSheetsReadAlikeOnBothPaths() throws {
        let archive = try ZipArchive(
            bytes: FileBytesForTests.read("edge_cases.xlsxwriter.xlsx"), name: "e.xlsx", limits: ZipLimits())
        let real = try archive.data(forEntry: "xl/worksheets/sheet1.xml")
        let handWritten = Array(
            (head + "<row r='1'><c r=\"A1\" t=\"inlineStr\"><is><t>a &amp; &#x41; <![CDATA[<b>]]></t></is></c>"
                + "<!-- c --><c r=\"B1\" s=\"1\" t=\"n\"><v>42795</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
                + "<row r='3'><c t=\"b\"><v>1</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"str\"><f>1</f><v>x</v></c></row>"
                + tail).utf8)
        var random = RobustnessTests.SplitMix64(state: 2026)
        let alphabet = Array("<>/=\"'&;:_x0A9 !-[]?#\r\n".utf8) + [0x00, 0xC3, 0xA9, 0xFF]
        var differences: [String] = []
        for original in [real, handWritten] {
            for _ in 0..<400 {
                var damaged = original
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0..<damaged.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: damaged[at] = alphabet.randomElement(using: &random)!
                    case 1: damaged.insert(alphabet.randomElement(using: &random)!, at: at)
                    default: damaged.remove(at: at)
                    }
                }
                let scanned = trace(damaged)
                let reference = trace(damaged, libXML2Only: true)
                if scanned != reference {
                    differences.append("\(String(decoding: damaged, as: UTF8.self))\n  scanner: \(scanned)\n  libxml2: \(reference)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differ; first: \(differences.first ?? "")")
    }
}
