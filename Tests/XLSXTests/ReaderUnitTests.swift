import Testing

@testable import XLSX

/// The reader's pieces on hand-written inputs whose right answers are worked out by hand
/// from ECMA-376 (cited per test).
@Suite struct ReaderUnitTests {
    // MARK: Number formats (ECMA-376 Part 1 §18.8.30 built-ins, §18.8.31 format codes)

    @Test func builtInDateFormats() {
        #expect(DateFormats.kind(builtIn: 0) == nil)  // General
        #expect(DateFormats.kind(builtIn: 9) == nil)  // 0%
        #expect(DateFormats.kind(builtIn: 14) == .date)  // m/d/yyyy
        #expect(DateFormats.kind(builtIn: 20) == .time)  // h:mm
        #expect(DateFormats.kind(builtIn: 22) == .dateTime)  // m/d/yyyy h:mm
        #expect(DateFormats.kind(builtIn: 46) == .time)  // [h]:mm:ss
        #expect(DateFormats.kind(builtIn: 49) == nil)  // @
    }

    @Test func customFormatCodes() {
        #expect(DateFormats.kind(formatCode: "yyyy-mm-dd") == .date)
        #expect(DateFormats.kind(formatCode: "yyyy\\-mm\\-dd") == .date)  // LibreOffice's escaped separators
        #expect(DateFormats.kind(formatCode: "yyyy\\-mm\\-dd\\ hh:mm:ss") == .dateTime)
        #expect(DateFormats.kind(formatCode: "hh:mm:ss") == .time)
        #expect(DateFormats.kind(formatCode: "[h]:mm") == .time)
        #expect(DateFormats.kind(formatCode: "mmm") == .date)  // m alone is a month
        #expect(DateFormats.kind(formatCode: "[$-407]dd/mm/yyyy;@") == .date)
        // Letters in quotes, escapes, colours and padding are text, not date tokens.
        #expect(DateFormats.kind(formatCode: "0.00\" days\"") == nil)
        #expect(DateFormats.kind(formatCode: "#,##0\\h") == nil)
        #expect(DateFormats.kind(formatCode: "[Red]0.00;[Blue]-0.00") == nil)
        #expect(DateFormats.kind(formatCode: "_-* #,##0.00_-;-* #,##0.00_-") == nil)
        #expect(DateFormats.kind(formatCode: "General") == nil)
        #expect(DateFormats.kind(formatCode: "0.00E+00") == nil)
        #expect(DateFormats.kind(formatCode: "0%") == nil)
    }

    // MARK: Strings (ECMA-376 Part 1 §22.9.2.19 ST_Xstring escapes)

    @Test func xstringEscapes() {
        func decode(_ text: String) -> String { TextDecoding.string(Array(text.utf8)) }
        #expect(decode("crlf line_x000D_\nnext") == "crlf line\r\nnext")
        #expect(decode("bell_x0007_char") == "bell\u{7}char")
        #expect(decode("_x005F_x0041_ stays literal") == "_x0041_ stays literal")
        #expect(decode("_x0041__x0042_") == "AB")
        #expect(decode("_xD83D__xDE00_") == "😀")  // a surrogate pair, escaped unit by unit
        #expect(decode("_x00zz_ and _x41_") == "_x00zz_ and _x41_")  // not escapes
        #expect(decode("plain Größe") == "plain Größe")
    }

    // MARK: Numbers and references

    @Test func numbersFromBytes() {
        func parse(_ text: String) -> Double? {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { NumberParsing.double($0.baseAddress!, count: $0.count) }
        }
        #expect(parse("42") == 42)
        #expect(parse("-7") == -7)
        #expect(parse("0.1") == 0.1)
        #expect(parse("-2.5") == -2.5)
        #expect(parse("123456789012") == 123_456_789_012)
        #expect(parse("3.141592653589793") == 3.141592653589793)  // 16 digits: the strtod path
        #expect(parse("6.02214076E+023") == 6.02214076e23)
        #expect(parse("1E-300") == 1e-300)
        #expect(parse("41333.57326388889") == 41333.57326388889)
        #expect(parse(" 5 ") == 5)
        #expect(parse("") == nil)
        #expect(parse("1,5") == nil)
        #expect(parse("inf") == nil)
        #expect(parse("0x1p3") == nil)
    }

    @Test func cellReferencesFromBytes() {
        func parse(_ text: String) -> (row: Int, column: Int)? {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { NumberParsing.cellReference($0.baseAddress!, count: $0.count) }
        }
        #expect(parse("A1")! == (0, 0))
        #expect(parse("ZZ3")! == (2, 701))
        #expect(parse("AAB300")! == (299, 703))
        #expect(parse("XFD1048576")! == (1_048_575, 16_383))
        #expect(parse("1A") == nil)
        #expect(parse("A0") == nil)
    }

    // MARK: t="d" cells (ECMA-376 Part 1 §18.17.4: ISO 8601 values)

    @Test func isoDateCells() {
        // 2017-03-01 is serial 42795 in the 1900 system and 41333 in the 1904 system
        // (the fixtures' `dates` maps list both).
        #expect(ISODateCell.date("2017-03-01", date1904: false) == ExcelDate(serial: 42795, date1904: false, kind: .date))
        #expect(ISODateCell.date("2017-03-01", date1904: true)?.serial == 41333)
        let dateTime = ISODateCell.date("2017-03-01T13:45:30", date1904: false)
        #expect(dateTime?.kind == .dateTime)
        #expect(dateTime?.isoString == "2017-03-01T13:45:30")
        #expect(ISODateCell.date("13:45:30", date1904: false)?.isoString == "13:45:30")
        #expect(ISODateCell.date("1900-02-28", date1904: false)?.serial == 59)  // before Lotus' phantom leap day
        #expect(ISODateCell.date("1900-03-01", date1904: false)?.serial == 61)
        #expect(ISODateCell.date("yesterday", date1904: false) == nil)
    }

    // MARK: OPC relationships (ECMA-376 Part 2 §9.3)

    @Test func relationshipTargets() {
        #expect(Relationships.resolve("worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(Relationships.resolve("/xl/tabs/t1.xml", from: "xl/main.xml") == "xl/tabs/t1.xml")
        #expect(Relationships.resolve("../xl/styles.xml", from: "xl/main.xml") == "xl/styles.xml")
        #expect(Relationships.resolve("../../../x.xml", from: "xl/main.xml") == "x.xml")
        #expect(Relationships.resolve("xl/workbook.xml", from: nil) == "xl/workbook.xml")
        #expect(Relationships.resolve("tabs/my%20sheet.xml", from: "xl/main.xml") == "xl/tabs/my sheet.xml")
        #expect(Relationships.relsPart(for: "xl/main.xml") == "xl/_rels/main.xml.rels")
    }

    // MARK: Worksheet XML

    private func sheet(_ xml: String, sharedStrings: [String]? = nil) throws -> ([[Int: CellValue]], [CellRange]) {
        let parser = SheetParser(
            file: "t.xlsx", part: "xl/worksheets/sheet1.xml", sharedStrings: sharedStrings,
            styles: CellStyles(dateKinds: [nil, .date]), date1904: false)
        var rows: [[Int: CellValue]] = []
        let merged = try parser.parse(Array(xml.utf8)) { index, cells in
            while rows.count <= index { rows.append([:]) }
            for (column, value) in cells { rows[index][column] = value }
        }
        return (rows, merged)
    }

    private let head = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"

    @Test func cellTypesAndPositions() throws {
        let xml = head + """
            <row r="2"><c r="B2"><v>1.5</v></c><c t="s"><v>1</v></c><c r="E2" t="b"><v>1</v></c></row>\
            <row><c t="inlineStr"><is><r><t>a </t></r><rPh><t>PHONETIC</t></rPh><r><t xml:space="preserve">b</t></r></is></c>\
            <c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>x&amp;y</v></c><c><f>1+1</f><v/></c><c s="1"><v>42795</v></c>\
            <c s="1"/></row></sheetData><mergeCells><mergeCell ref="C5:D6"/><mergeCell ref="A1:B1"/></mergeCells></worksheet>
            """
        let (rows, merged) = try sheet(xml, sharedStrings: ["zero", "one"])
        #expect(rows.count == 3)
        #expect(rows[0].isEmpty)
        #expect(rows[1] == [1: .number(1.5), 2: .text("one"), 4: .bool(true)])
        #expect(
            rows[2] == [
                0: .text("a b"), 1: .error("#N/A"), 2: .text("x&y"),
                4: .date(ExcelDate(serial: 42795, date1904: false, kind: .date)),
            ])
        #expect(merged.map(\.a1) == ["A1:B1", "C5:D6"])
    }

    @Test func sharedStringErrorsNameTheCell() throws {
        let xml = head + "<row r=\"3\"><c r=\"C3\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>"
        #expect(throws: XLSXError.missingSharedString(
            file: "t.xlsx", part: "xl/worksheets/sheet1.xml", cell: "C3", index: 7, tableSize: nil)) {
            _ = try sheet(xml)
        }
        #expect(throws: XLSXError.missingSharedString(
            file: "t.xlsx", part: "xl/worksheets/sheet1.xml", cell: "C3", index: 7, tableSize: 2)) {
            _ = try sheet(xml, sharedStrings: ["a", "b"])
        }
    }

    @Test func doctypeIsRefusedEvenAfterAComment() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + head + "<row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>"
        #expect(throws: XLSXError.doctypeForbidden(file: "t.xlsx", part: "xl/worksheets/sheet1.xml")) {
            _ = try sheet(xml)
        }
    }

    @Test func malformedXMLIsAnErrorWithALine() throws {
        let error = #expect(throws: XLSXError.self) {
            _ = try sheet(head + "<row><c><v>1</v></row>\n</sheetData></worksheet>")
        }
        guard case .malformedXML(let file, let part, let line, let message) = error else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
        #expect(file == "t.xlsx" && part == "xl/worksheets/sheet1.xml")
        #expect(line == 1)
        #expect(message.contains("mismatch"), "\(message)")
    }

    @Test func callerErrorsPassThroughUnchanged() throws {
        struct Stop: Error, Equatable {}
        let parser = SheetParser(
            file: "t.xlsx", part: "p", sharedStrings: nil, styles: CellStyles(), date1904: false)
        var seen = 0
        #expect(throws: Stop()) {
            _ = try parser.parse(Array((head + "<row><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>").utf8)) { _, _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
    }
}
