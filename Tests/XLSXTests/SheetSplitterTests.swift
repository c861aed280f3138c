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

    private func findCut(_ bytes: [UInt8]) -> SheetSplitter.Cut? {
        bytes.withUnsafeBufferPointer { SheetSplitter.cut($0) }
    }

    @Test(arguments: ["", "x"])
    func halvesReadLikeTheWhole(prefix: String) throws {
        let bytes = sheetXML(rows: 101, prefix: prefix)
        let cut = try #require(findCut(bytes))
        #expect(cut.offset > bytes.count / 3 && cut.offset < bytes.count * 2 / 3)
        let whole = try SheetGrid.read(bytes, with: parser)
        let joined = try #require(SheetGrid.readHalves(bytes, with: parser))
        #expect(whole.rows.count == 101)
        #expect(whole.rows[100] == [.number(101), nil, .text("a")])
        #expect(joined.rows == whole.rows)
        #expect(joined.merged == whole.merged)
        #expect(joined.merged.map(\.a1) == ["A1:B1"])
    }

    @Test func errorLinesMatchTheWhole() throws {
        for defect in [10, 90] {
            let bytes = sheetXML(rows: 101, defectAtRow: defect)
            #expect(SheetGrid.readHalves(bytes, with: parser) == nil)
            let whole = #expect(throws: XLSXError.self) { _ = try SheetGrid.read(bytes, with: parser) }
            let joined = #expect(throws: XLSXError.self) { _ = try SheetGrid.readInParallel(bytes, with: parser) }
            guard case .malformedXML(_, _, let line, _) = whole else {
                Issue.record("expected malformedXML, got \(String(describing: whole))")
                return
            }
            #expect(line == defect + 2)  // the XML declaration, the root line, then the row
            #expect(joined == whole)
        }
    }

    @Test func unsplittableLayoutsAreReadInOnePass() throws {
        // The tail's first row has no number: its index is only known counting from the top.
        let unnumbered = sheetXML(rows: 50, withR: false)
        #expect(findCut(unnumbered) != nil)
        #expect(SheetGrid.readHalves(unnumbered, with: parser) == nil)
        #expect(try SheetGrid.readInParallel(unnumbered, with: parser).rows == SheetGrid.read(unnumbered, with: parser).rows)

        // A cut that falls inside a comment is caught by the head's scan.
        var commented = sheetXML(rows: 50)
        var inComment = try #require(findCut(commented))
        let rowStart = inComment.offset
        let rowEnd = commented[rowStart...].firstIndex(of: UInt8(ascii: "\n"))!
        commented.insert(contentsOf: Array(" -->".utf8), at: rowEnd)
        commented.insert(contentsOf: Array("<!-- ".utf8), at: rowStart)
        inComment.offset = rowStart + 5
        #expect(commented[inComment.offset..<inComment.offset + 4].elementsEqual("<row".utf8))
        #expect(SheetGrid.readHalves(commented, at: inComment, with: parser) == nil)
        let whole = try SheetGrid.read(commented, with: parser)
        #expect(whole.rows.count == 50 && whole.rows.filter(\.isEmpty).count == 1)
        #expect(try SheetGrid.readInParallel(commented, with: parser).rows == whole.rows)

        #expect(findCut(Array("<worksheet><sheetData/></worksheet>".utf8)) == nil)
    }
}
