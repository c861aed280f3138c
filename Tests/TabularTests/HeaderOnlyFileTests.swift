import Testing

import Tabular

/// A file that holds only its header line: no records, whether or not the line ends in a
/// newline. Found by the `csv` fuzz target: without the newline, the reader trapped on a
/// record range that started past the end of the file.
@Suite struct HeaderOnlyFileTests {
    @Test func headerWithoutFinalNewlineHasNoRecords() throws {
        let text = "LNR;AGER_TYP;AKT_DAT_KL"
        let header = try Array(text.utf8).withUnsafeBufferPointer { try CSVReader.header(of: $0, name: "h.csv") }
        #expect(header.dataStart == text.utf8.count)
        let table = try CSVReader.read(bytes: Array(text.utf8), name: "h.csv", options: CSVOptions(workers: 1))
        #expect(table.columnNames == ["LNR", "AGER_TYP", "AKT_DAT_KL"])
        #expect(table.rowCount == 0)
    }

    @Test func headerWithNewlineOrCRLFHasNoRecords() throws {
        for text in ["LNR;AGER_TYP\n", "LNR;AGER_TYP\r\n", "LNR;AGER_TYP\r"] {
            let table = try CSVReader.read(bytes: Array(text.utf8), name: "h.csv", options: CSVOptions(workers: 1))
            #expect(table.columnNames == ["LNR", "AGER_TYP"], "\(text.debugDescription)")
            #expect(table.rowCount == 0, "\(text.debugDescription)")
        }
    }
}
