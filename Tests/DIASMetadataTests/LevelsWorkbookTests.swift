import Testing
import XLSX
@testable import DIASMetadata

/// The levels layout, from worksheets mirroring dias_levels_like.*.xlsx (row numbers are Excel's).
@Suite struct LevelsWorkbookTests {
    static func catalog(_ writer: String = "openpyxl") throws -> DIASCatalog {
        try DIASCatalog(
            valuesSheets: FixtureSheets.sheets("dias_values_like.\(writer).expected.json"),
            levelsSheets: FixtureSheets.sheets("dias_levels_like.\(writer).expected.json"),
            valuesFile: "dias_values_like.\(writer).xlsx", levelsFile: "dias_levels_like.\(writer).xlsx")
    }

    @Test func levelsComeFromMergedRanges() throws {
        let catalog = try Self.catalog()
        #expect(catalog.levelEntries.count == 50)  // rows 3..51, row 27 holding two names
        #expect(catalog.attribute(named: "ALTERSKATEGORIE_GROB")?.informationLevel == "Person")  // B4, top of B4:B24
        #expect(catalog.attribute(named: "ZABEOTYP")?.informationLevel == "Person")  // B24, bottom
        #expect(catalog.attribute(named: "ALTER_HH")?.informationLevel == "Household")
        #expect(catalog.attribute(named: "WOHNLAGE")?.informationLevel == "Building")
        #expect(catalog.attribute(named: "KBA05_BAUMAX")?.informationLevel == "Microcell (RR3_ID)")  // one-row level, " KBA05_BAUMAX"
        #expect(catalog.attribute(named: "D19_KOSMETIK_RZ")?.informationLevel == "125m x 125m Grid")
        #expect(catalog.attribute(named: "ORTSGR_KLS9")?.informationLevel == "Community")  // B51, unmerged
        #expect(catalog.attribute(named: "PLZ8_ANTG1")?.informationLevel == "PLZ8")
    }

    @Test func levelContinuesPastItsMergedRange() throws {
        let catalog = try Self.catalog()
        // Household is merged over B25:B29; B30 and B31 are empty and still Household.
        #expect(catalog.attribute(named: "HH_EINKOMMEN_SCORE")?.informationLevel == "Household")
        #expect(catalog.attribute(named: "W_KEIT_KIND_HH")?.informationLevel == "Household")
        #expect(catalog.attribute(named: "ANZ_HAUSHALTE_AKTIV")?.informationLevel == "Building")  // B32 starts the next
    }

    @Test func rowAboveTheFirstLevelHasNone() throws {
        let catalog = try Self.catalog()
        #expect(catalog.levelEntries.first == LevelEntry(
            name: "AGER_TYP", level: nil, description: "Age typology of the person (synthetic)"))
        #expect(catalog.attribute(named: "AGER_TYP")?.informationLevel == nil)
    }

    @Test func levelNamesAreTrimmed() throws {
        let catalog = try Self.catalog()
        #expect(catalog.attribute(named: "BALLRAUM")?.informationLevel == "Postcode")
        #expect(catalog.attribute(named: "EWDICHTE")?.informationLevel == "Postcode")
        #expect(!catalog.levelEntries.compactMap(\.level).contains { $0.hasSuffix(" ") })
    }

    @Test func twoNamesInOneCellAreSplit() throws {
        let catalog = try Self.catalog()
        // C27: "D19_VERSAND_ ANZ_12             D19_VERSAND_ ANZ_24"
        let twelve = try #require(catalog.levelEntry(named: "D19_VERSAND_ANZ_12"))
        let twentyFour = try #require(catalog.levelEntry(named: "D19_VERSAND_ANZ_24"))
        #expect(twelve.level == "Household")
        #expect(twentyFour.level == "Household")
        #expect(twelve.description == "Mail-order transactions in the last 12 and 24 months")
        #expect(twentyFour.description == twelve.description)
        #expect(CellText.attributeNames(in: "D19_BANKEN_ ANZ_12             D19_BANKEN_ ANZ_24")
            == ["D19_BANKEN_ANZ_12", "D19_BANKEN_ANZ_24"])
        #expect(CellText.attributeNames(in: " KBA05_BAUMAX") == ["KBA05_BAUMAX"])
        #expect(CellText.attributeNames(in: "A_1\nB_2") == ["A_1", "B_2"])
    }

    @Test func mergedNotesAreSharedAndLevelsMatchValues() throws {
        let catalog = try Self.catalog()
        // E8:E9 and E34:E36 are merged notes.
        #expect(catalog.levelEntry(named: "FINANZ_SPARER")?.notes == "scores 1 to 5; 1 is the strongest expression")
        #expect(catalog.levelEntry(named: "OST_WEST_KZ")?.notes == nil)
        #expect(catalog.levelEntry(named: "MIN_GEBAEUDEJAHR")?.notes == "building data refreshed yearly")
        #expect(catalog.levelEntry(named: "SEMIO_SOZ")?.notes == "affinity scale from 1 (highest) to 7 (lowest)")
        // Every values attribute but AGER_TYP has a level.
        #expect(catalog.attributes.filter { $0.informationLevel == nil }.map(\.name) == ["AGER_TYP"])
    }

    @Test(arguments: ["xlsxwriter", "libreoffice"]) func writersAgree(writer: String) throws {
        let other = try Self.catalog(writer)
        let reference = try Self.catalog()
        #expect(other.levelEntries == reference.levelEntries)
        #expect(other.attributes == reference.attributes)
    }
}
