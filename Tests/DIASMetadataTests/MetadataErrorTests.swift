import Testing
import XLSX
@testable import DIASMetadata

@Suite struct MetadataErrorTests {
    /// A sheet with the given cells, `[row][column]` from A1.
    static func sheet(_ name: String, _ rows: [[CellValue?]], merged: [String] = []) -> Worksheet {
        Worksheet(name: name, rows: rows, mergedRanges: merged.map { CellRange(a1: $0)! })
    }

    static let header: [CellValue?] = [.text("Attribute"), .text("Description"), .text("Value"), .text("Meaning")]

    @Test func missingHeaderNamesFileSheetAndCaptions() throws {
        let sheets = [Self.sheet("Tabelle1", [[.text("Attribut"), .text("Beschreibung")]])]
        #expect(throws: MetadataError.noHeaderRow(
            file: "DIAS Attributes - Values 2017.xlsx", sheets: ["Tabelle1"],
            captions: ["Attribute", "Description", "Value", "Meaning"])) {
            try DIASCatalog(valuesSheets: sheets, valuesFile: "DIAS Attributes - Values 2017.xlsx")
        }
        let error = MetadataError.noHeaderRow(
            file: "DIAS Attributes - Values 2017.xlsx", sheets: ["Tabelle1"],
            captions: ValuesSheetParser.captions)
        #expect(error.description
            == "DIAS Attributes - Values 2017.xlsx: Tabelle1: no header row with Attribute/Description/Value/Meaning")
    }

    @Test func headerIsFoundByCaptionsAnywhere() throws {
        // Captions in another case and spacing, on row 4 from column C of the second sheet.
        let sheets = [
            Self.sheet("Notes", [[.text("Attribute")]]),
            Self.sheet("Data", [
                [], [], [],
                [nil, nil, .text(" MEANING"), .text("attribute "), .text("Value"), .text("Desc ription")],
                [nil, nil, .text("unknown"), .text("X_KZ"), .text("-1, 0"), .text("x flag")],
                [nil, nil, .text("yes"), nil, .number(1)],
            ]),
        ]
        let catalog = try DIASCatalog(valuesSheets: sheets)
        #expect(catalog.attributes == [Attribute(
            name: "X_KZ", description: "x flag", codes: [.integer(-1), .integer(0), .integer(1)],
            unknownCodes: [.integer(-1), .integer(0)],
            meanings: [.integer(-1): "unknown", .integer(0): "unknown", .integer(1): "yes"])])
    }

    @Test func badCodesNameTheirCell() throws {
        let fractional = [Self.sheet("T", [Self.header, [.text("A"), .text("a"), .number(1.5), .text("x")]])]
        #expect(throws: MetadataError.invalidCode(
            file: "v.xlsx", sheet: "T", cell: CellReference(a1: "C2")!, found: "1.5")) {
            try DIASCatalog(valuesSheets: fractional, valuesFile: "v.xlsx")
        }
        let emptyPart = [Self.sheet("T", [Self.header, [.text("A"), .text("a"), .text("-1,"), .text("x")]])]
        #expect(throws: MetadataError.invalidCode(
            file: "v.xlsx", sheet: "T", cell: CellReference(a1: "C2")!, found: "\"-1,\"")) {
            try DIASCatalog(valuesSheets: emptyPart, valuesFile: "v.xlsx")
        }
        let orphan = [Self.sheet("T", [Self.header, [nil, nil, .number(1), .text("x")]])]
        #expect(throws: MetadataError.codeWithoutAttribute(file: "v.xlsx", sheet: "T", cell: CellReference(a1: "C2")!)) {
            try DIASCatalog(valuesSheets: orphan, valuesFile: "v.xlsx")
        }
        #expect(MetadataError.invalidCode(file: "v.xlsx", sheet: "T", cell: CellReference(a1: "C2")!, found: "1.5")
            .description.hasPrefix("v.xlsx: T!C2: 1.5 is not a value code"))
    }

    @Test func levelsWorkbookWithoutHeader() throws {
        let values = [Self.sheet("T", [Self.header, [.text("A"), .text("a"), .number(1), .text("x")]])]
        let levels = [Self.sheet("Komplett", []), Self.sheet("Other", [])]
        #expect(throws: MetadataError.noHeaderRow(
            file: "l.xlsx", sheets: ["Komplett", "Other"],
            captions: ["Information level", "Attribute", "Description"])) {
            try DIASCatalog(valuesSheets: values, levelsSheets: levels, levelsFile: "l.xlsx")
        }
    }
}
