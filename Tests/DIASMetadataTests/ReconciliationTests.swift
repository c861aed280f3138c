import Foundation
import Testing
@testable import DIASMetadata

@Suite struct ReconciliationTests {
    /// One AZDIAS column as schema.json records it (Fixtures/azdias_schema_names.tsv).
    struct SchemaColumn {
        var column: String
        var metadataName: String?
        var match: Reconciliation.MatchKind
        var level: String?
    }

    static func schemaColumns() throws -> [SchemaColumn] {
        let text = try String(contentsOf: FixtureSheets.url("azdias_schema_names.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst(2).map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return SchemaColumn(
                column: fields[0], metadataName: fields[1] == "-" ? nil : fields[1],
                match: Reconciliation.MatchKind(rawValue: fields[2])!, level: fields[3] == "-" ? nil : fields[3])
        }
    }

    /// A catalog holding exactly the metadata names schema.json matched, with their levels;
    /// the levels workbook also lists the columns that have a level but no values entry.
    static func schemaCatalog(_ columns: [SchemaColumn]) -> DIASCatalog {
        let attributes = columns.compactMap { c in c.metadataName.map { Attribute(name: $0, informationLevel: c.level) } }
        let levels = columns.compactMap { c in
            c.level.map { LevelEntry(name: c.metadataName ?? c.column, level: $0) }
        }
        return DIASCatalog(attributes: attributes, levelEntries: levels)
    }

    @Test func fullAzdiasHeaderGivesTheSchemaCounts() throws {
        let columns = try Self.schemaColumns()
        #expect(columns.count == 366)
        let result = Reconciliation(columns: columns.map(\.column), catalog: Self.schemaCatalog(columns))
        #expect(result.count(.exact) == 272)
        #expect(result.count(.suffixRZ) == 33)
        #expect(result.count(.renamed) == 5)
        #expect(result.count(.none) == 56)
        #expect(result.unmatchedColumns.count == 56)
        #expect(result.unmatchedColumns.first == "LNR")
        #expect(result.unmatchedAttributes.isEmpty)
        for (match, expected) in zip(result.columns, columns) {
            #expect(match.column == expected.column)
            #expect(match.kind == expected.match, "\(expected.column)")
            #expect(match.attribute?.name == expected.metadataName, "\(expected.column)")
            #expect(match.informationLevel == expected.level, "\(expected.column)")
        }
    }

    @Test func renamesAndSuffix() throws {
        let columns = try Self.schemaColumns()
        let result = Reconciliation(columns: columns.map(\.column), catalog: Self.schemaCatalog(columns))
        let renamed = result.columns.filter { $0.kind == .renamed }.map { "\($0.column)=\($0.attribute!.name)" }
        #expect(renamed == [
            "CAMEO_INTL_2015=CAMEO_DEUINTL_2015", "D19_BUCH_CD=D19_BUCH_RZ", "KBA13_CCM_1401_2500=KBA13_CCM_1400_2500",
            "KK_KUNDENTYP=D19_KK_KUNDENTYP", "SOHO_KZ=SOHO_FLAG",
        ])  // in AZDIAS header order
        // ARBEIT has no values entry but the levels workbook knows it.
        let arbeit = try #require(result.columns.first { $0.column == "ARBEIT" })
        #expect(arbeit.kind == .none)
        #expect(arbeit.informationLevel == "Community")
    }

    @Test func fixtureCatalogAgainstTheAzdiasHeader() throws {
        let catalog = try DIASCatalog(
            valuesSheets: FixtureSheets.sheets("dias_values_like.openpyxl.expected.json"),
            levelsSheets: FixtureSheets.sheets("dias_levels_like.openpyxl.expected.json"))
        let header = try Self.schemaColumns().map(\.column)
        let result = Reconciliation(columns: header, catalog: catalog)
        let kosmetik = try #require(result.columns.first { $0.column == "D19_KOSMETIK" })
        #expect(kosmetik.kind == .suffixRZ)
        #expect(kosmetik.attribute?.name == "D19_KOSMETIK_RZ")
        #expect(kosmetik.informationLevel == "125m x 125m Grid")
        #expect(result.columns.first { $0.column == "D19_BANKEN_DIREKT" }?.attribute?.name == "D19_BANKEN_DIREKT_RZ")
        // All 48 fixture attributes are AZDIAS columns under their own or their _RZ name.
        #expect(result.unmatchedAttributes.isEmpty)
        #expect(result.count(.exact) == 46)
        #expect(result.count(.suffixRZ) == 2)
        #expect(result.count(.none) == 366 - 48)
        // The levels-only D19_VERSAND_ANZ_12 still gets its level.
        #expect(result.columns.first { $0.column == "D19_VERSAND_ANZ_12" }?.informationLevel == "Household")
    }

    @Test func unmatchedAttributesAreListed() {
        let catalog = DIASCatalog(attributes: ["A", "B_RZ", "CAMEO_DEUINTL_2015", "ORPHAN"].map { Attribute(name: $0) })
        let result = Reconciliation(columns: ["A", "B", "CAMEO_INTL_2015", "EXTRA"], catalog: catalog)
        #expect(result.columns.map(\.kind) == [.exact, .suffixRZ, .renamed, .none])
        #expect(result.unmatchedColumns == ["EXTRA"])
        #expect(result.unmatchedAttributes == ["ORPHAN"])
    }
}
