import Testing
import XLSX
@testable import DIASMetadata

/// The values layout, read from worksheets that mirror dias_values_like.*.xlsx. Expected
/// values are read off the fixture rows by hand (row numbers are Excel's).
@Suite struct ValuesWorkbookTests {
    static let writers = ["openpyxl", "xlsxwriter", "libreoffice"]

    static func catalog(_ writer: String = "openpyxl") throws -> DIASCatalog {
        try DIASCatalog(
            valuesSheets: FixtureSheets.sheets("dias_values_like.\(writer).expected.json"),
            valuesFile: "dias_values_like.\(writer).xlsx")
    }

    @Test(arguments: writers) func findsAllBlocksInWorkbookOrder(writer: String) throws {
        let catalog = try Self.catalog(writer)
        #expect(catalog.attributes.count == 48)
        #expect(catalog.attributes.first?.name == "AGER_TYP")
        #expect(catalog.attributes.last?.name == "ZABEOTYP")
        // Sheet1 (a code/count/share table) precedes nothing: the header is found on Tabelle1.
        #expect(catalog.attributes.map(\.name).contains("KBA05_BAUMAX"))
        #expect(Set(catalog.attributes.map(\.name)).count == 48)
    }

    @Test func twoCodesInOneCell() throws {
        let catalog = try Self.catalog()
        let age = try #require(catalog.attribute(named: "ALTERSKATEGORIE_GROB"))
        #expect(age.codes == [.integer(-1), .integer(0), .integer(1), .integer(2), .integer(3), .integer(4), .integer(9)])
        #expect(age.unknownCodes == [.integer(-1), .integer(0)])
        #expect(age.meaning(of: .integer(0)) == "unknown")
        #expect(age.meaning(of: .integer(9)) == "spread evenly")
        #expect(!age.isNumeric)

        let modtemp = try #require(catalog.attribute(named: "KBA05_MODTEMP"))
        #expect(modtemp.unknownCodes == [.integer(-1), .integer(9)])
        #expect(modtemp.codes == [-1, 9, 1, 2, 3, 4, 5].map(ValueCode.integer))
        #expect(catalog.attribute(named: "ZABEOTYP")?.unknownCodes == [.integer(-1), .integer(9)])
    }

    @Test func ellipsisMarksNumericAttributes() throws {
        let catalog = try Self.catalog()
        let numeric = catalog.attributes.filter(\.isNumeric).map(\.name)
        #expect(numeric == ["ANZ_HAUSHALTE_AKTIV", "ANZ_HH_TITEL", "ANZ_PERSONEN", "GEBURTSJAHR",
                            "KBA13_ANZAHL_PKW", "MIN_GEBAEUDEJAHR"])
        let birth = try #require(catalog.attribute(named: "GEBURTSJAHR"))
        #expect(birth.codes.isEmpty)
        #expect(birth.unknownCodes.isEmpty)
        #expect(birth.description == "Year of birth")
    }

    @Test func textCodes() throws {
        let catalog = try Self.catalog()
        let cameo = try #require(catalog.attribute(named: "CAMEO_DEU_2015"))
        #expect(cameo.codes.count == 45)
        #expect(cameo.codes.first == .text("1A"))
        #expect(cameo.codes.last == .text("XX"))
        #expect(cameo.unknownCodes == [.text("XX")])
        #expect(cameo.meaning(of: .text("5F")) == "sub-type 5F")
        let eastWest = try #require(catalog.attribute(named: "OST_WEST_KZ"))
        #expect(eastWest.codes == [.integer(-1), .text("O"), .text("W")])
        #expect(eastWest.meaning(of: .text("O")) == "East")
        // E254 holds "-1" as text: it is the integer code -1.
        let community = try #require(catalog.attribute(named: "ORTSGR_KLS9"))
        #expect(community.codes.first == .integer(-1))
        #expect(community.unknownCodes == [.integer(-1)])
        #expect(community.codes.count == 10)
    }

    @Test func mergedMeaningsAreSharedByTheirRows() throws {
        let catalog = try Self.catalog()
        let family = try #require(catalog.attribute(named: "LP_FAMILIE_GROB"))
        #expect(family.codes == (1...11).map(ValueCode.integer))
        // E224:E226, E227:E229, E230:E232
        #expect(family.meaning(of: .integer(3)) == "single parent")
        #expect(family.meaning(of: .integer(4)) == "single parent")
        #expect(family.meaning(of: .integer(5)) == "single parent")
        #expect(family.meaning(of: .integer(6)) == "family")
        #expect(family.meaning(of: .integer(8)) == "family")
        #expect(family.meaning(of: .integer(11)) == "multi-person household")
        #expect(family.unknownCodes.isEmpty)
        let status = try #require(catalog.attribute(named: "LP_STATUS_GROB"))
        // E233:E234, ..., E240:E241; E242 trimmed.
        #expect(status.meaning(of: .integer(2)) == "low-income earners")
        #expect(status.meaning(of: .integer(9)) == "house owners")
        #expect(status.meaning(of: .integer(10)) == "top earners")
    }

    @Test func onlyMeaningsSayingUnknownAreUnknown() throws {
        let catalog = try Self.catalog()
        // "none", "no transactions", "not classifiable", "no score" are real values.
        #expect(catalog.attribute(named: "D19_BANKEN_DIREKT_RZ")?.unknownCodes == [])
        #expect(catalog.attribute(named: "D19_BANKEN_ANZ_12")?.unknownCodes == [])
        #expect(catalog.attribute(named: "KBA05_ANTG1")?.unknownCodes == [.integer(-1)])
        #expect(catalog.attribute(named: "HEALTH_TYP")?.unknownCodes == [.integer(-1)])
        #expect(catalog.attribute(named: "WOHNLAGE")?.unknownCodes == [.integer(-1)])
        #expect(catalog.attribute(named: "ONLINE_AFFINITAET")?.unknownCodes == [])
        // "unknown / not determinable" is unknown.
        #expect(catalog.attribute(named: "ALTER_HH")?.unknownCodes == [.integer(0)])
        #expect(UnknownMeaning.matches("unknown / no main age detectable"))
        #expect(UnknownMeaning.matches("Unknown"))
        #expect(!UnknownMeaning.matches("no transaction known"))
        #expect(!UnknownMeaning.matches("no classification possible"))
        #expect(!UnknownMeaning.matches("none"))
    }

    @Test func blocksIgnoreSpacesAndStrayCells() throws {
        let catalog = try Self.catalog()
        // B20 holds a single space: a continuation, not a new attribute.
        let household = try #require(catalog.attribute(named: "ALTER_HH"))
        #expect(household.codes == (0...21).map(ValueCode.integer))
        // F18:G29 hold stray numbers and letters; none becomes a code or a meaning.
        #expect(household.meaning(of: .integer(4)) == "five-year period 4")
        #expect(!household.meanings.values.contains("aa"))
        // "D19_KOSMETIK_RZ " and " KBA05_BAUMAX" are trimmed; "numeric value " too.
        #expect(catalog.attribute(named: "D19_KOSMETIK_RZ")?.codes.count == 8)
        #expect(catalog.attribute(named: "KBA05_BAUMAX")?.unknownCodes == [.integer(-1), .integer(0)])
        #expect(catalog.attribute(named: "FINANZ_SPARER")?.meaning(of: .integer(5)) == "very low")
    }

    @Test func descriptionContinuesOnTheSecondRow() throws {
        let catalog = try Self.catalog()
        #expect(catalog.attribute(named: "CAMEO_DEU_2015")?.description
            == "Socio-economic typology of the microcell, detailed; 44 synthetic sub-types in nine classes")
        #expect(catalog.attribute(named: "PRAEGENDE_JUGENDJAHRE")?.description
            == "Formative youth years: decade and orientation; orientation A or B per decade")
        #expect(catalog.attribute(named: "ANZ_PERSONEN")?.description
            == "Number of adults in the household (Größe des Haushalts)")
    }

    @Test(arguments: writers) func writersAgree(writer: String) throws {
        #expect(try Self.catalog(writer).attributes == Self.catalog("openpyxl").attributes)
    }
}
