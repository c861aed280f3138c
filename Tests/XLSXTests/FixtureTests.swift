import Foundation
import Testing
import XLSX

/// Every fixture workbook against its `.expected.json` (values as openpyxl reads them, written
/// by other tools: openpyxl, XlsxWriter, LibreOffice, Python's zipfile and hand-built ZIPs).
@Suite struct FixtureTests {
    @Test func everyFixtureIsCovered() {
        let (readable, malformed) = Fixtures.all()
        // 20 readable workbooks (incl. large_sheet) and 11 malformed ones in Fixtures/README.md.
        #expect(readable.count == 20)
        #expect(malformed.count == 11)
        #expect(Set(malformed) == Set(expectedErrors.keys))
    }

    @Test(arguments: Fixtures.all().readable.filter { !$0.hasPrefix("large_sheet") })
    func readsExpectedRows(_ file: String) throws {
        let expected = try Fixtures.expected(file)
        let workbook = try Workbook(contentsOf: Fixtures.path(file))
        let sheets = expected["sheets"] as! [[String: Any]]
        #expect(workbook.sheetNames == sheets.map { $0["name"] as! String })
        #expect(workbook.date1904 == (expected["date1904"] as? Bool ?? false))

        let worksheets = try workbook.worksheets()
        for (sheet, expectedSheet) in zip(worksheets, sheets) {
            let rows = (expectedSheet["rows"] as! [[Any]]).map { $0.map(JSONCell.init(json:)) }
            let actual = sheet.rows.map { $0.map(JSONCell.init) }
            #expect(actual.count == rows.count, "\(file) \(sheet.name): row count")
            for (index, (actualRow, expectedRow)) in zip(actual, rows).enumerated() where actualRow != expectedRow {
                Issue.record("\(file) \(sheet.name) row \(index + 1): \(actualRow) != \(expectedRow)")
            }
            #expect(sheet.mergedRanges.map(\.a1) == expectedSheet["merged"] as! [String], "\(file) \(sheet.name)")

            // Date cells carry the serial the writer stored, not just the right rendering
            // (LibreOffice re-writes serials with 15 significant digits, hence the tolerance).
            for (cell, info) in expectedSheet["dates"] as? [String: [String: Any]] ?? [:] {
                let value = sheet[CellReference(a1: cell)!]
                guard case .date(let date) = value else {
                    Issue.record("\(file) \(sheet.name)!\(cell) is \(String(describing: value)), not a date")
                    continue
                }
                #expect(abs(date.serial - (info["serial"] as! Double)) < 1e-9, "\(file) \(sheet.name)!\(cell)")
                #expect(date.isoString == info["iso"] as! String, "\(file) \(sheet.name)!\(cell)")
            }
            for cell in expectedSheet["errors"] as? [String] ?? [] {
                guard case .error = sheet[CellReference(a1: cell)!] else {
                    Issue.record("\(file) \(sheet.name)!\(cell) should be an error value")
                    continue
                }
            }
            // Where openpyxl leaves `_xHHHH_` escapes undecoded, the spec's reading is ours.
            for (cell, override) in expectedSheet["spec_overrides"] as? [String: [String: String]] ?? [:] {
                #expect(JSONCell(sheet[CellReference(a1: cell)!]) == .string(override["spec"]!), "\(file)!\(cell)")
            }
        }
    }

    /// Streamed with forEachRow, and read whole with worksheet(named:): same answer.
    @Test(arguments: [true, false])
    func largeSheetMatchesItsChecksum(streaming: Bool) throws {
        let file = "large_sheet.xlsxwriter.xlsx"
        let expected = (try Fixtures.expected(file)["sheets"] as! [[String: Any]])[0]
        let workbook = try Workbook(contentsOf: Fixtures.path(file))
        #expect(workbook.sheetNames == ["data"])

        var rowCount = 0
        var columnCount = 0
        var numericSum = 0.0
        var numericCount = 0
        var stringCount = 0
        var firstRows: [[JSONCell]] = []
        var lastRow: [JSONCell] = []
        func visit(_ index: Int, _ cells: [(column: Int, value: CellValue)]) {
            rowCount = max(rowCount, index + 1)
            columnCount = max(columnCount, (cells.last?.column ?? -1) + 1)
            var row = [JSONCell](repeating: .null, count: (cells.last?.column ?? -1) + 1)
            for (column, value) in cells {
                row[column] = JSONCell(value)
                switch value {
                case .number(let number):
                    numericSum += number
                    numericCount += 1
                case .text: stringCount += 1
                default: break
                }
            }
            if index < 5 { firstRows.append(row) }
            lastRow = row
        }
        if streaming {
            try workbook.forEachRow(inSheet: "data") { index, cells in visit(index, cells) }
        } else {
            let sheet = try workbook.worksheet(named: "data")
            for (index, row) in sheet.rows.enumerated() {
                visit(index, row.enumerated().compactMap { column, value in value.map { (column, $0) } })
            }
        }
        let checksum = expected["checksum"] as! [String: Any]
        #expect(rowCount == expected["row_count"] as! Int)
        #expect(columnCount == expected["column_count"] as! Int)
        #expect(numericSum == checksum["numeric_sum"] as! Double)
        #expect(numericCount == checksum["numeric_count"] as! Int)
        #expect(stringCount == checksum["string_count"] as! Int)
        #expect(firstRows == (expected["first_rows"] as! [[Any]]).map { $0.map(JSONCell.init(json:)) })
        #expect(lastRow == (expected["last_row"] as! [Any]).map(JSONCell.init(json:)))
    }

    /// The kind of error each malformed fixture must be refused with, and the entry it names.
    let expectedErrors: [String: (kind: String, entry: String?)] = [
        "bad_crc.xlsx": ("crcMismatch", "xl/worksheets/sheet1.xml"),
        "duplicate_entry.xlsx": ("duplicateEntry", "xl/worksheets/sheet1.xml"),
        "empty_file.xlsx": ("emptyFile", nil),
        "missing_sharedstrings.xlsx": ("missingSharedString", "xl/worksheets/sheet1.xml"),
        "not_a_zip.xlsx": ("notAZip", nil),
        "path_traversal.xlsx": ("unsafeEntryName", "../../evil.txt"),
        "truncated.xlsx": ("notAZip", nil),
        "xxe.xlsx": ("doctypeForbidden", "xl/sharedStrings.xml"),
        "zip_bomb.xlsx": ("limitExceeded", "xl/worksheets/sheet1.xml"),
        "zip_declared_huge.xlsx": ("limitExceeded", "xl/worksheets/sheet1.xml"),
        "zip_size_understated.xlsx": ("sizeMismatch", "xl/worksheets/sheet1.xml"),
    ]

    @Test(arguments: Fixtures.all().malformed)
    func refusesMalformed(_ file: String) throws {
        let expectation = try #require(expectedErrors[file])
        let error = #expect(throws: XLSXError.self) {
            _ = try Workbook(contentsOf: Fixtures.path(file)).worksheets()
        }
        guard let error else { return }
        #expect(error.kind == expectation.kind, "\(file): \(error)")
        let message = error.description
        #expect(message.hasPrefix(file + ": "), "\(message)")
        if let entry = expectation.entry { #expect(message.contains(entry), "\(message)") }
        #expect(!message.contains("\n"), "one line: \(message)")
    }

    @Test func crcMessageNamesFileAndPart() throws {
        let error = #expect(throws: XLSXError.self) {
            _ = try Workbook(contentsOf: Fixtures.path("bad_crc.xlsx")).worksheet(named: "Tabelle1")
        }
        #expect(error?.description.hasPrefix("bad_crc.xlsx: xl/worksheets/sheet1.xml: CRC-32 mismatch (") == true)
    }

    /// With the size limits lifted, the lying sizes are still caught by inflating no further
    /// than declared (and never allocating the 4 GiB the header claims).
    @Test func declaredSizesAreEnforcedWhileInflating() throws {
        let generous = ZipLimits(
            maxTotalUncompressedBytes: Int(UInt32.max) * 2, maxEntryUncompressedBytes: Int(UInt32.max),
            maxCompressionRatio: Int.max)
        let huge = #expect(throws: XLSXError.self) {
            _ = try Workbook(contentsOf: Fixtures.path("zip_declared_huge.xlsx"), limits: generous).worksheets()
        }
        #expect(huge?.kind == "sizeMismatch", "\(String(describing: huge))")

        // The bomb passes a high size limit but not the default ratio limit (1019:1 > 500:1).
        var ratioOnly = ZipLimits()
        ratioOnly.maxEntryUncompressedBytes = 2 << 30
        ratioOnly.maxTotalUncompressedBytes = 2 << 30
        let bomb = #expect(throws: XLSXError.self) {
            _ = try ZipArchive(bytes: FileBytesForTests.read("zip_bomb.xlsx"), name: "zip_bomb.xlsx", limits: ratioOnly)
        }
        #expect(bomb?.description.contains("compression ratio") == true, "\(String(describing: bomb))")
    }

    @Test func entryCountLimitAndCaseInsensitiveLookup() throws {
        let bytes = try FileBytesForTests.read("zip_stored.xlsx")
        var few = ZipLimits()
        few.maxEntryCount = 3
        let error = #expect(throws: XLSXError.self) {
            _ = try ZipArchive(bytes: bytes, name: "zip_stored.xlsx", limits: few)
        }
        #expect(error?.kind == "limitExceeded")

        // Stored entries come back byte for byte; OPC part names compare case-insensitively.
        let archive = try ZipArchive(bytes: bytes, name: "zip_stored.xlsx", limits: ZipLimits())
        #expect(archive.entries.allSatisfy { $0.method == .stored })
        let workbook = try archive.data(forEntry: "XL/Workbook.XML")
        #expect(String(decoding: workbook, as: UTF8.self).contains("<sheet name=\"Tabelle1\""))
        #expect(workbook.count == archive.entry(named: "xl/workbook.xml")?.uncompressedSize)
        #expect(throws: XLSXError.missingPart(file: "zip_stored.xlsx", part: "xl/nothing.xml")) {
            _ = try archive.data(forEntry: "xl/nothing.xml")
        }
    }

    @Test func sheetLookupErrors() throws {
        let workbook = try Workbook(contentsOf: Fixtures.path("dias_levels_like.openpyxl.xlsx"))
        #expect(throws: XLSXError.sheetNotFound(file: "dias_levels_like.openpyxl.xlsx", name: "komplett", available: ["Komplett"])) {
            _ = try workbook.worksheet(named: "komplett")
        }
        #expect(throws: XLSXError.sheetIndexOutOfRange(file: "dias_levels_like.openpyxl.xlsx", index: 1, count: 1)) {
            _ = try workbook.worksheet(at: 1)
        }
    }

    @Test func pathTraversalEntryIsNeverExposed() throws {
        let error = #expect(throws: XLSXError.self) {
            _ = try ZipArchive(bytes: FileBytesForTests.read("path_traversal.xlsx"), name: "p.xlsx", limits: ZipLimits())
        }
        #expect(error == .unsafeEntryName(file: "p.xlsx", entry: "../../evil.txt"))
    }
}

enum FileBytesForTests {
    static func read(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(file))))
    }
}
