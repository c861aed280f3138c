import Testing

@testable import XLSX

/// Big sheets are read as two halves on two cores; the result must be exactly the one-pass result.
@Suite struct SheetSplitterTests {
    private let parser = SheetParser(
        file: "t.xlsx", part: "xl/worksheets/sheet1.xml", sharedStrings: ["a"], styles: CellStyles(), date1904: false)

    private func sheetXML(rows: Int, defectAtRow: Int? = nil, withR: Bool = true, prefix: String = "") -> [UInt8] {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let xmlns = prefix.isEmpty ? "xmlns" : "xmlns:" + prefix
        var xml = "<?xml version=\"1.0\"?>\n<\(p)worksheet \(xmlns)=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><\(p)sheetData>\n"
        for r in 1...rows {
            let rowTag = withR ? "<\(p)row r=\"\(r)\">" : "<\(p)row>"
            let close = r == defectAtRow ? "</\(p)rox>" : "</\(p)row>"
            xml += "\(rowTag)<\(p)c r=\"A\(r)\"><\(p)v>\(r)</\(p)v></\(p)c>"
                + "<\(p)c r=\"C\(r)\" t=\"s\"><\(p)v>0</\(p)v></\(p)c>\(close)\n"
        }
        xml += "</\(p)sheetData><\(p)mergeCells><\(p)mergeCell ref=\"A1:B1\"/></\(p)mergeCells></\(p)worksheet>"
        return Array(xml.utf8)
    }

    @Test func halvesReadLikeTheWhole() throws {
        let bytes = sheetXML(rows: 101)
        let split = SheetSplitter.split(bytes)
        try #require(split != nil)
        let halves = split!
        #expect(halves.first.count < bytes.count && halves.second.count < bytes.count)
        let whole = try SheetGrid.read(bytes, with: parser)
        let joined = try SheetGrid.readInParallel(bytes, halves, with: parser)
        #expect(whole.rows.count == 101)
        #expect(whole.rows[100] == [.number(101), nil, .text("a")])
        #expect(joined.rows == whole.rows)
        #expect(joined.merged == whole.merged)
        #expect(joined.merged.map(\.a1) == ["A1:B1"])
    }

    @Test func errorLinesMatchTheWhole() throws {
        let bytes = sheetXML(rows: 101, defectAtRow: 90)
        let split = SheetSplitter.split(bytes)
        try #require(split != nil)
        let halves = split!
        let whole = #expect(throws: XLSXError.self) { _ = try SheetGrid.read(bytes, with: parser) }
        let joined = #expect(throws: XLSXError.self) { _ = try SheetGrid.readInParallel(bytes, halves, with: parser) }
        guard case .malformedXML(_, _, let line, _) = whole else {
            Issue.record("expected malformedXML, got \(String(describing: whole))")
            return
        }
        #expect(line == 92)  // the XML declaration, the root line, then row 90
        #expect(joined == whole)
    }

    @Test func unsplittableLayoutsAreLeftWhole() {
        #expect(SheetSplitter.split(sheetXML(rows: 50, withR: false)) == nil)
        #expect(SheetSplitter.split(sheetXML(rows: 50, prefix: "x")) == nil)
        var withComment = sheetXML(rows: 50)
        withComment.insert(contentsOf: Array("<!-- <row r=\"9\"> -->".utf8), at: withComment.count / 2)
        #expect(SheetSplitter.split(withComment) == nil)
        #expect(SheetSplitter.split(Array("<worksheet><sheetData/></worksheet>".utf8)) == nil)
    }
}
