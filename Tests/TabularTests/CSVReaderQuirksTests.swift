import Foundation
import Testing

@testable import Tabular

/// Reads inline CSV text (bytes exactly as written, `\r\n` included).
private func table(_ text: String, name: String = "test.csv", options: CSVOptions = CSVOptions()) throws -> Table {
    try CSVReader.read(bytes: Array(text.utf8), name: name, options: options)
}

@Suite struct CSVReaderQuirksTests {
    @Test func semicolonFile() throws {
        let t = try table("LNR;A;B\n1;2;3\n4;5;6\n")
        #expect(t.columnNames == ["LNR", "A", "B"])
        #expect(t.rowCount == 2)
        #expect(t["B"]!.storage == .int8([3, 6]))
        #expect(t["LNR"]!.value(row: 1) == .integer(4))
    }

    @Test func commaFile() throws {
        let t = try table("a,b\n1,2\n3,4\n")
        #expect(t.columnNames == ["a", "b"])
        #expect(t["a"]!.storage == .int8([1, 3]))
        #expect(t["b"]!.storage == .int8([2, 4]))
    }

    @Test func separatorOverride() throws {
        // Header has more commas than semicolons, but the caller knows better.
        let t = try table("x,1;y\n1,5;2\n", options: CSVOptions(separator: UInt8(ascii: ";")))
        #expect(t.columnNames == ["x,1", "y"])
        #expect(t["x,1"]!.value(row: 0) == .text("1,5"))
    }

    @Test func leadingIndexColumnDropped() throws {
        let t = try table(";LNR;A\n0;10;1\n1;11;2\n")
        #expect(t.droppedIndexColumn)
        #expect(t.columnNames == ["LNR", "A"])
        #expect(t["LNR"]!.storage == .int8([10, 11]))
    }

    @Test func leadingIndexColumnKept() throws {
        let t = try table(";LNR\n0;10\n1;11\n", options: CSVOptions(indexColumn: .keep))
        #expect(!t.droppedIndexColumn)
        #expect(t.columnNames == ["", "LNR"])
        #expect(t.columns[0].storage == .int8([0, 1]))
    }

    @Test func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("LNR;T\r\n1;a\r\n2;\r\n".utf8)
        let t = try CSVReader.read(bytes: bytes, name: "bom.csv")
        #expect(t.columnNames == ["LNR", "T"])
        #expect(t["LNR"]!.storage == .int8([1, 2]))
        #expect(t["T"]!.value(row: 0) == .text("a"))
        #expect(t["T"]!.value(row: 1) == .missing)
    }

    @Test func noTrailingNewlineAndTrailingEmptyField() throws {
        let t = try table("a;b\n1;2\n3;")
        #expect(t.rowCount == 2)
        #expect(t["b"]!.value(row: 1) == .missing)
        #expect(t["b"]!.missing.count == 1)
    }

    @Test func quotedFields() throws {
        let text = "id;name;n\n1;\"a;b\";\"7\"\n2;\"say \"\"hi\"\"\";8\n3;\"two\nlines\";9\n4;\"\";10\n"
        let t = try table(text)
        #expect(t.rowCount == 4)
        let name = t["name"]!
        #expect(name.value(row: 0) == .text("a;b"))
        #expect(name.value(row: 1) == .text("say \"hi\""))
        #expect(name.value(row: 2) == .text("two\nlines"))
        #expect(name.value(row: 3) == .missing)
        // A quoted number is still a number.
        #expect(t["n"]!.storage == .int8([7, 8, 9, 10]))
        #expect(t["id"]!.storage == .int8([1, 2, 3, 4]))
    }

    @Test func quotedFieldsWithForcedChunking() throws {
        // Lines padded so the naive newline split lands inside the quoted newline.
        var text = "k;v\n"
        for i in 0..<300 { text += "\(i);\"x\n\(i);y\"\n" }
        let sequential = try table(text, options: CSVOptions(workers: 1, chunkCount: 1))
        let chunked = try table(text, options: CSVOptions(workers: 2, chunkCount: 7))
        #expect(sequential.rowCount == 300)
        #expect(sequential["v"]!.value(row: 5) == .text("x\n5;y"))
        #expect(chunked == sequential)
    }

    @Test func numbersAreIntegersWhenWhole() throws {
        let t = try table("a;b;c;d\n2.0;-1;1e3;2.\n-3.0;0;-2E1;7\n")
        #expect(t["a"]!.storage == .int8([2, -3]))
        #expect(t["b"]!.storage == .int8([-1, 0]))
        #expect(t["c"]!.storage == .int16([1000, -20]))
        #expect(t["d"]!.storage == .int8([2, 7]))
    }

    @Test func emptyFieldsAreMissing() throws {
        let t = try table("a;b\n;1.0\n3.0;\n\n4.0;2.0\n")
        let a = t["a"]!
        #expect(t.rowCount == 3)  // the blank line is skipped
        #expect(a.storage == .int8([0, 3, 4]))
        #expect(a.value(row: 0) == .missing)
        #expect(a.double(row: 0) == nil)
        #expect(a.double(row: 1) == 3)
        #expect(a.missing.count == 1)
        #expect(t["b"]!.value(row: 1) == .missing)
        let doubles = a.doubles()
        #expect(doubles[0].isNaN && doubles[1] == 3 && doubles[2] == 4)
    }

    @Test func storageWidths() throws {
        let t = try table("small;year;frac;big;huge\n-1;1992;0.5;1082873;5000000000\n9;2017;2.0;191653;1\n")
        #expect(t["small"]!.storage == .int8([-1, 9]))
        #expect(t["year"]!.storage == .int16([1992, 2017]))
        #expect(t["frac"]!.storage == .double([0.5, 2.0]))
        #expect(t["big"]!.storage == .int32([1_082_873, 191_653]))
        #expect(t["huge"]!.storage == .int64([5_000_000_000, 1]))
    }

    @Test func widthGrowsMidColumnKeepingEarlierValues() throws {
        let t = try table("a\n1\n\n-2\n300\n0.25\n")
        #expect(t["a"]!.storage == .double([1, -2, 300, 0.25]))
    }

    @Test func extremeValuesOfAWidthWidenIt() throws {
        // Int8.min and Int16.min mark empty cells while a chunk is parsed, so a real one
        // must widen the column; earlier empty cells must stay empty across the widening.
        let t = try table("a;b;c\n-128;-32768;1\n5;1;\n;;-128\n")
        #expect(t["a"]!.storage == .int16([-128, 5, 0]))
        #expect(t["a"]!.value(row: 2) == .missing)
        #expect(t["b"]!.storage == .int32([-32768, 1, 0]))
        #expect(t["c"]!.storage == .int16([1, 0, -128]))
        #expect(t["c"]!.value(row: 1) == .missing)
        #expect(t["c"]!.value(row: 2) == .integer(-128))
    }

    @Test func markersInNumericColumnStayNumeric() throws {
        let t = try table("CAMEO_DEUG_2015;CAMEO_INTL_2015\n8;51\nX;XX\n;\n4;XX\n9;24\n")
        let deug = t["CAMEO_DEUG_2015"]!
        #expect(deug.storage == .int8([8, 0, 0, 4, 9]))
        #expect(deug.specialTokens.tokens == ["X"])
        #expect(deug.specialTokens.rows == [1])
        #expect(deug.specialTokens.count(of: "X") == 1)
        #expect(deug.value(row: 1) == .special("X"))
        #expect(deug.value(row: 2) == .missing)
        #expect(deug.missing.count == 2)
        #expect(deug.emptyCount == 1)
        let intl = t["CAMEO_INTL_2015"]!
        #expect(intl.storage == .int8([51, 0, 0, 0, 24]))
        #expect(intl.specialTokens.rows == [1, 3])
        #expect(intl.specialTokens.counts == [2])
        #expect(intl.double(row: 3) == nil)
    }

    @Test func textColumnsAreDictionaryCoded() throws {
        let text = """
            CAMEO_DEU_2015;D19_LETZTER_KAUF_BRANCHE;EINGEFUEGT_AM;OST_WEST_KZ
            8A;D19_UNBEKANNT;1992-02-10 00:00:00;W
            1A;D19_VERSICHERUNGEN;1997-05-14 00:00:00;O
            XX;;1992-02-10 00:00:00;W
            8A;D19_UNBEKANNT;;W

            """
        let t = try table(text)
        #expect(t["CAMEO_DEU_2015"]!.storage == .text(codes: [1, 0, 2, 1], dictionary: ["1A", "8A", "XX"]))
        let branche = t["D19_LETZTER_KAUF_BRANCHE"]!
        #expect(branche.storage == .text(codes: [0, 1, 0, 0], dictionary: ["D19_UNBEKANNT", "D19_VERSICHERUNGEN"]))
        #expect(branche.value(row: 2) == .missing)
        let date = t["EINGEFUEGT_AM"]!
        #expect(date.text(row: 1) == "1997-05-14 00:00:00")
        #expect(date.storage == .text(codes: [0, 1, 0, 0], dictionary: ["1992-02-10 00:00:00", "1997-05-14 00:00:00"]))
        #expect(date.missing.count == 1)
        #expect(t["OST_WEST_KZ"]!.storage == .text(codes: [1, 0, 1, 1], dictionary: ["O", "W"]))
    }

    @Test func numbersInATextColumnKeepCanonicalText() throws {
        let t = try table("c\n1A\n2.0\n9E\n")
        #expect(t["c"]!.storage == .text(codes: [0, 1, 2], dictionary: ["1A", "2", "9E"]))
    }

    @Test func forcedColumnKinds() throws {
        let options = CSVOptions(columnKinds: ["g": .numeric, "n": .text])
        let t = try table("g;n\nX;1\nX;2\n3;1\n", options: options)
        #expect(t["g"]!.isNumeric)
        #expect(t["g"]!.specialTokens.count(of: "X") == 2)
        #expect(t["n"]!.storage == .text(codes: [0, 1, 0], dictionary: ["1", "2"]))
    }

    @Test func wrongFieldCountNamesFileLineAndCounts() throws {
        let text = "a;b;c\n1;2;3\n4;5;6\n7;8\n"
        #expect(throws: CSVError.fieldCount(file: "Udacity_AZDIAS_052018.csv", line: 4, found: 2, expected: 3)) {
            try table(text, name: "Udacity_AZDIAS_052018.csv")
        }
        let error = CSVError.fieldCount(file: "Udacity_AZDIAS_052018.csv", line: 1234, found: 365, expected: 366)
        #expect(error.description == "Udacity_AZDIAS_052018.csv: line 1234: 365 fields, expected 366")
    }

    @Test func wrongFieldCountLineIsExactInLaterChunks() throws {
        var text = "a;b\n"
        for i in 0..<5000 { text += "\(i % 100);\(i % 7)\n" }
        text += "1;2;3\n"
        for _ in 0..<100 { text += "1;2\n" }
        #expect(throws: CSVError.fieldCount(file: "f.csv", line: 5002, found: 3, expected: 2)) {
            try table(text, name: "f.csv", options: CSVOptions(workers: 2, chunkCount: 5))
        }
    }

    @Test func quoteErrorsNameTheLine() throws {
        #expect(throws: CSVError.unterminatedQuote(file: "q.csv", line: 3)) {
            try table("a;b\n1;2\n3;\"open\n", name: "q.csv")
        }
        #expect(throws: CSVError.textAfterClosingQuote(file: "q.csv", line: 2)) {
            try table("a;b\n1;\"x\"y\n", name: "q.csv")
        }
    }

    @Test func quoteErrorFoundAfterChunkedParse() throws {
        var text = "a;b\n"
        for i in 0..<3000 { text += "\(i);x\n" }
        text += "7;\"never closed\n8;y\n"
        #expect(throws: CSVError.unterminatedQuote(file: "q.csv", line: 3002)) {
            try table(text, name: "q.csv", options: CSVOptions(workers: 2, chunkCount: 6))
        }
    }

    /// Fuzzing found it: a quoted field made the reader split the file again by records, and
    /// that walk threw the later quote error before the parse could report the earlier line.
    @Test func earlierFieldCountErrorWinsOverLaterQuoteErrorInChunks() throws {
        var text = "a;b\n"
        for i in 0..<1000 { text += "\(i);x\n" }
        text += "1;2;3\n"
        for i in 0..<1000 { text += "\(i);\"q\"\n" }
        text += "9;\"x\"y\n"
        for i in 0..<1000 { text += "\(i);z\n" }
        for chunks in [1, 2, 3, 5] {
            #expect(throws: CSVError.fieldCount(file: "q.csv", line: 1002, found: 3, expected: 2)) {
                try table(text, name: "q.csv", options: CSVOptions(workers: 2, chunkCount: chunks))
            }
        }
    }

    @Test func emptyInputs() throws {
        #expect(throws: CSVError.emptyFile(file: "e.csv")) { try table("", name: "e.csv") }
        #expect(throws: CSVError.emptyFile(file: "e.csv")) { try table("\n", name: "e.csv") }
        let headerOnly = try table("a;b\n")
        #expect(headerOnly.rowCount == 0)
        #expect(headerOnly["a"]!.storage == .int8([]))
    }

    @Test func expectedColumnsChecked() throws {
        #expect(throws: CSVError.unexpectedHeader(file: "h.csv", expected: 2, found: 2,
                                                 firstDifference: "column 2 is C, expected B")) {
            try table("A;C\n1;2\n", name: "h.csv", options: CSVOptions(expectedColumns: ["A", "B"]))
        }
    }

    @Test func readsFromPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tabular-\(getpid()).csv").path
        try Data("LNR;A\n5;1.5\n6;\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try CSVReader.read(path: path)
        #expect(t["A"]!.storage == .double([1.5, 0]))
        #expect(t["A"]!.value(row: 1) == .missing)
        #expect(throws: CSVError.self) { try CSVReader.read(path: path + ".absent") }
    }
}
