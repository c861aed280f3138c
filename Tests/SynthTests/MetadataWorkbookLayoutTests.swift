import DIASMetadata
import Testing
import XLSX

@testable import Synth

@Suite struct MetadataWorkbookLayoutTests {
    let layout = MetadataWorkbookLayout(schema: try! ArvatoSchema.bundled())

    @Test func valuesWorkbookHasTheRealLayout() throws {
        let sheets = layout.valuesWorkbook()
        #expect(sheets.map(\.name) == ["Tabelle1", "Tabelle2", "Tabelle3"])
        let sheet = sheets[0]
        #expect((0..<5).allSatisfy { sheet[0, $0] == nil })
        #expect((1..<sheet.rows.count).allSatisfy { sheet[$0, 0] == nil })
        #expect((1...4).map { sheet[1, $0] } == ["Attribute", "Description", "Value", "Meaning"].map { CellValue.text($0) })
        let names = (2..<sheet.rows.count).compactMap { row -> String? in
            if case .text(let t) = sheet[row, 1], t != " " { return t }
            return nil
        }
        #expect(names.count == 314)  // 310 entries of the schema + 4 without a data column
        #expect(names.contains("D19_KOSMETIK_RZ") && names.contains("CAMEO_DEUINTL_2015"))
        let values = (2..<sheet.rows.count).compactMap { sheet[$0, 3] }
        #expect(values.contains(.text("-1, 9")) && values.contains(.text("-1, 0")) && values.contains(.text("…")))
        #expect(values.contains(.text("1A")) && values.contains(.text("O")) && values.contains(.text("-1")))
        #expect(values.contains(.number(-1)))
        #expect(sheet.mergedRanges.count == 7)
        #expect(sheet.mergedRanges.allSatisfy { $0.first.column == 4 && $0.last.column == 4 && $0.last.row > $0.first.row })
        let spaces = (2..<sheet.rows.count).filter { sheet[$0, 1] == .text(" ") }
        #expect(spaces.count == 1)
        // Unknown codes read "unknown": KBA05_ALTER1's first code.
        let kba = try #require((2..<sheet.rows.count).first { sheet[$0, 1] == .text("KBA05_ALTER1") })
        #expect(sheet[kba, 3] == .text("-1, 9") && sheet[kba, 4] == .text("unknown"))
    }

    @Test func informationLevelsWorkbookHasTheRealLayout() throws {
        let sheet = layout.informationLevelsWorkbook()
        #expect(sheet.name == "Komplett")
        #expect((1...4).map { sheet[1, $0] }
            == ["Information level", "Attribute", "Description", "Additional notes"].map { CellValue.text($0) })
        #expect(sheet[2, 1] == nil && sheet[2, 2] != nil)
        let levels = (0..<sheet.rows.count).compactMap { sheet[$0, 1] }
        #expect(levels.contains(.text("Postcode ")) && levels.contains(.text("Person")))
        let attributes = (3..<sheet.rows.count).compactMap { row -> String? in
            if case .text(let t) = sheet[row, 2] { return t }
            return nil
        }
        #expect(attributes.contains("D19_BANKEN_ ANZ_12             D19_BANKEN_ ANZ_24"))
        let levelMerges = sheet.mergedRanges.filter { $0.first.column == 1 }
        #expect(levelMerges.count >= 9)
        // One level runs past its merged range: a row with an attribute, no level and outside every B merge.
        let unmerged = (3..<sheet.rows.count).filter { row in
            sheet[row, 1] == nil && sheet[row, 2] != nil
                && !levelMerges.contains { $0.contains(CellReference(row: row, column: 1)) }
        }
        #expect(unmerged.count == 1)
    }
}

@Suite struct MetadataWorkbookFileTests {
    /// The written workbooks read back through the XLSX reader and the DIAS metadata parser.
    @Test func writtenWorkbooksReadBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let synthesizer = try Synthesizer(options: SynthOptions(scale: 0.001, seed: 1))
        try synthesizer.writeWorkbooks(into: directory.path)
        let valuesPath = directory.path + "/" + MetadataWorkbookLayout.valuesFileName
        let levelsPath = directory.path + "/" + MetadataWorkbookLayout.informationLevelsFileName
        let workbook = try Workbook(contentsOf: valuesPath)
        #expect(workbook.sheetNames == ["Tabelle1", "Tabelle2", "Tabelle3"])
        let read = try workbook.worksheet(named: "Tabelle1")
        var expected = MetadataWorkbookLayout(schema: synthesizer.schema).valuesWorkbook()[0]
        expected.trimTrailingEmptyCells()
        #expect(read.rows == expected.rows)
        #expect(read.mergedRanges == expected.mergedRanges)

        let catalog = try DIASCatalog.load(valuesPath: valuesPath, levelsPath: levelsPath)
        #expect(catalog.attributes.count == 314)
        let kba = try #require(catalog.attribute(named: "KBA05_ALTER1"))
        #expect(kba.unknownCodes.count >= 2)
    }
}
