import Testing
@testable import XLSX

@Suite struct CellReferenceTests {
    @Test func parsesA1() {
        #expect(CellReference(a1: "A1") == CellReference(row: 0, column: 0))
        #expect(CellReference(a1: "B2") == CellReference(row: 1, column: 1))
        #expect(CellReference(a1: "Z10") == CellReference(row: 9, column: 25))
        #expect(CellReference(a1: "AA1")?.column == 26)
        #expect(CellReference(a1: "AAB300") == CellReference(row: 299, column: 703))
        #expect(CellReference(a1: "$C$3") == CellReference(row: 2, column: 2))
        #expect(CellReference(a1: "3C") == nil)
        #expect(CellReference(a1: "A0") == nil)
        #expect(CellReference(a1: "") == nil)
    }

    @Test func columnNamesRoundTrip() {
        #expect(CellReference.columnName(0) == "A")
        #expect(CellReference.columnName(25) == "Z")
        #expect(CellReference.columnName(26) == "AA")
        #expect(CellReference.columnName(701) == "ZZ")
        #expect(CellReference.columnName(702) == "AAA")
        for c in [0, 1, 25, 26, 51, 52, 701, 702, 703, 16_383] {
            #expect(CellReference(a1: CellReference.columnName(c) + "1")?.column == c)
        }
    }

    @Test func rangesAndMergeFill() {
        let range = CellRange(a1: "B78:B80")!
        #expect(range.first == CellReference(row: 77, column: 1))
        #expect(range.last == CellReference(row: 79, column: 1))
        #expect(range.a1 == "B78:B80")
        var sheet = Worksheet(name: "s", mergedRanges: [CellRange(a1: "B2:C3")!])
        sheet[1, 1] = .text("x")
        let filled = sheet.fillingMergedRanges()
        #expect(filled[2, 2] == .text("x"))
        #expect(filled[1, 2] == .text("x"))
        #expect(filled[0, 0] == nil)
    }

    @Test func datesRenderLikeOpenpyxl() {
        #expect(ExcelDate(serial: 42795, date1904: false, kind: .date).isoString == "2017-03-01T00:00:00")
        #expect(ExcelDate(serial: 41333.57326388889, date1904: true, kind: .dateTime).isoString == "2017-03-01T13:45:30")
        #expect(ExcelDate(serial: 0.5729166666666666, date1904: false, kind: .time).isoString == "13:45:00")
        #expect(ExcelDate(serial: 1, date1904: false, kind: .date).isoString == "1900-01-01T00:00:00")
        #expect(ExcelDate(serial: 61, date1904: false, kind: .date).isoString == "1900-03-01T00:00:00")
    }
}
