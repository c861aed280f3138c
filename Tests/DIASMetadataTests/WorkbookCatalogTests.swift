import Testing
import XLSX
@testable import DIASMetadata

/// The same catalog read from the real .xlsx fixtures through the XLSX reader, compared
/// with the one built from openpyxl's reading of them (the .expected.json files).
@Suite struct WorkbookCatalogTests {
    @Test(arguments: ["openpyxl", "xlsxwriter", "libreoffice"]) func readsTheFixtureWorkbooks(writer: String) throws {
        let values = FixtureSheets.path("dias_values_like.\(writer).xlsx")
        let levels = FixtureSheets.path("dias_levels_like.\(writer).xlsx")
        let read = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
        let expected = try LevelsWorkbookTests.catalog(writer)
        #expect(read == expected)
        #expect(read.attributes.count == 48)
        #expect(read.attribute(named: "ALTERSKATEGORIE_GROB")?.unknownCodes == [.integer(-1), .integer(0)])
        #expect(read.attribute(named: "LP_FAMILIE_GROB")?.meaning(of: .integer(5)) == "single parent")
        #expect(read.attribute(named: "GEBURTSJAHR")?.isNumeric == true)
        #expect(read.attribute(named: "HH_EINKOMMEN_SCORE")?.informationLevel == "Household")
        #expect(read.attribute(named: "BALLRAUM")?.informationLevel == "Postcode")
        #expect(read.levelEntry(named: "D19_VERSAND_ANZ_24")?.level == "Household")
    }

    @Test func swappedWorkbooksNameTheFileAndSheet() throws {
        let levels = FixtureSheets.path("dias_levels_like.openpyxl.xlsx")
        #expect(throws: MetadataError.noHeaderRow(
            file: levels, sheets: ["Komplett"], captions: ["Attribute", "Description", "Value", "Meaning"])) {
            try DIASCatalog.load(valuesPath: levels)
        }
    }

    @Test func unreadableWorkbookIsAMetadataError() throws {
        let missing = FixtureSheets.path("dias_values_like.openpyxl.xlsx") + ".missing"
        do {
            _ = try DIASCatalog.load(valuesPath: missing)
            Issue.record("a missing file was read")
        } catch {
            guard case .workbook(.unreadableFile) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains(missing))
        }
    }
}
