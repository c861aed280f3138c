import DIASMetadata
import Foundation
import ModelFormat
import Tabular
import Testing

@testable import Features

/// A six-person population with every quirk the cleaning handles, checked value by value
/// against hand computation.
enum TinyPopulation {
    static let csv = """
        LNR;AGER_TYP;ALTER_KIND1;CAMEO_DEU_2015;CAMEO_INTL_2015;EINGEFUEGT_AM;OST_WEST_KZ;PRAEGENDE_JUGENDJAHRE;NOMETA;ALTERSKATEGORIE_GROB
        10;-1;;8A;51;1992-02-10 00:00:00;W;14;3.0;2
        11;2;;4C;24;1997-05-14 00:00:00;W;0;;1
        12;1;5.0;XX;XX;1992-02-12 00:00:00;O;8;1.0;3
        13;0;;8A;55;;;15;4.0;4
        14;3;;2D;13;2005-12-01 00:00:00;W;3;2.0;0
        15;2;;4C;41;1992-02-10 00:00:00;O;6;5.0;1

        """

    static let catalog = DIASCatalog(attributes: [
        Attribute(name: "AGER_TYP", codes: [.integer(-1), .integer(0), .integer(1), .integer(2), .integer(3)],
                  unknownCodes: [.integer(-1), .integer(0)]),
        Attribute(name: "ALTERSKATEGORIE_GROB", codes: [.integer(-1), .integer(0), .integer(1), .integer(2)],
                  unknownCodes: [.integer(-1), .integer(0)]),
        Attribute(name: "PRAEGENDE_JUGENDJAHRE", codes: [.integer(-1), .integer(0), .integer(1)],
                  unknownCodes: [.integer(-1), .integer(0)]),
        // The metadata's name for the data's CAMEO_INTL_2015.
        Attribute(name: "CAMEO_DEUINTL_2015", codes: [.integer(-1), .integer(11)], unknownCodes: [.integer(-1)]),
        Attribute(name: "OST_WEST_KZ", codes: [.integer(-1), .text("O"), .text("W")], unknownCodes: [.integer(-1)]),
        Attribute(name: "CAMEO_DEU_2015", codes: [.text("1A"), .text("XX")], unknownCodes: [.text("XX")]),
    ])

    static func table() throws -> Table {
        try CSVReader.read(bytes: Array(csv.utf8), name: "tiny.csv")
    }

    static var options: CleaningOptions {
        var options = CleaningOptions()
        options.maxRowMissingShare = 0.25
        return options
    }
}

@Suite struct CleaningFitTests {
    @Test func columnDecisions() throws {
        let result = try CleaningFit.fit(population: TinyPopulation.table(), file: "tiny.csv",
                                         catalog: TinyPopulation.catalog, options: TinyPopulation.options)
        let decisions = Dictionary(uniqueKeysWithValues: result.summary.columns.map { ($0.name, $0.decision) })
        #expect(decisions["LNR"] == .identifier)
        // -1 and 0 are unknown: 2 of 6 missing > 30 %.
        #expect(decisions["AGER_TYP"] == .droppedTooManyMissing)
        #expect(decisions["ALTER_KIND1"] == .droppedTooManyMissing)
        #expect(decisions["NOMETA"] == .kept)
        #expect(decisions["ALTERSKATEGORIE_GROB"] == .kept)
        #expect(decisions["CAMEO_INTL_2015"] == .engineered)
        #expect(decisions["EINGEFUEGT_AM"] == .engineered)

        let ager = try #require(result.summary.columns.first { $0.name == "AGER_TYP" })
        #expect(ager.unknownCodeHits == 2)
        #expect(abs(ager.missingShare - 2.0 / 6) < 1e-15)
        let intl = try #require(result.summary.columns.first { $0.name == "CAMEO_INTL_2015" })
        #expect(intl.attribute == "CAMEO_DEUINTL_2015")
        #expect(intl.unknownCodeHits == 1)  // the XX marker
        let deu = try #require(result.summary.columns.first { $0.name == "CAMEO_DEU_2015" })
        #expect(deu.unknownCodeHits == 1)
        #expect(deu.features == ["CAMEO_DEU_2015=2D", "CAMEO_DEU_2015=4C", "CAMEO_DEU_2015=8A"])

        let expectedNames: [String] = [
            "CAMEO_DEU_2015=2D", "CAMEO_DEU_2015=4C", "CAMEO_DEU_2015=8A",
            "CAMEO_INTL_2015_WEALTH", "CAMEO_INTL_2015_LIFE_STAGE", "EINGEFUEGT_AM", "OST_WEST_KZ",
            "PRAEGENDE_JUGENDJAHRE_DECADE", "PRAEGENDE_JUGENDJAHRE_MOVEMENT", "NOMETA", "ALTERSKATEGORIE_GROB",
            "ROW_MISSING_SHARE",
        ]
        #expect(result.transform.featureNames == expectedNames)
        // Rows 11, 12, 13 miss 2 of 7 kept columns (> 0.25).
        #expect(result.summary.rowsAboveMissingThreshold == 3)
    }

    @Test func dropsColumnsWithoutMetadataOnRequest() throws {
        var options = TinyPopulation.options
        options.dropColumnsWithoutMetadata = true
        let result = try CleaningFit.fit(population: TinyPopulation.table(), catalog: TinyPopulation.catalog, options: options)
        #expect(result.summary.columns.first { $0.name == "NOMETA" }?.decision == .droppedNoMetadata)
        #expect(!result.transform.featureNames.contains("NOMETA"))
    }

    @Test func rawFeaturesValueByValue() throws {
        let table = try TinyPopulation.table()
        let fit = try CleaningFit.fit(population: table, catalog: TinyPopulation.catalog, options: TinyPopulation.options)
        let m = try fit.transform.transform(table: table)
        let nan = Double.nan
        let expected: [[Double]] = [[Double]]([
            // 2D 4C 8A  W  L  year  OW dec mov NOMETA AGK share
            [0, 0, 1, 5, 1, 1992, 1, 90, 0, 3, 2, 0],
            [0, 1, 0, 2, 4, 1997, 1, nan, nan, nan, 1, 2.0 / 7],
            [nan, nan, nan, nan, nan, 1992, 0, 70, 0, 1, 3, 2.0 / 7],
            [0, 0, 1, 5, 5, nan, nan, 90, 1, 4, 4, 2.0 / 7],
            [1, 0, 0, 1, 3, 2005, 1, 50, 0, 2, nan, 1.0 / 7],
            [0, 1, 0, 4, 1, 1992, 0, 60, 1, 5, 1, 0],
        ])
        for r in 0..<6 {
            for c in 0..<12 {
                let got = m.raw[r * 12 + c]
                let want = expected[r][c]
                #expect(got == want || (got.isNaN && want.isNaN), "row \(r) feature \(fit.transform.featureNames[c])")
            }
        }
        let shares: [Double] = [0, 2.0 / 7, 2.0 / 7, 2.0 / 7, 1.0 / 7, 0]
        #expect(m.missingShare == shares)
    }

    @Test func fillAndScaleFromRowsWithEnoughData() throws {
        let table = try TinyPopulation.table()
        let fit = try CleaningFit.fit(population: table, catalog: TinyPopulation.catalog, options: TinyPopulation.options)
        let specs = Dictionary(uniqueKeysWithValues: fit.transform.features.map { ($0.name, $0) })
        // Statistics come from rows 10, 14 and 15 only.
        let nometa = try #require(specs["NOMETA"])  // 3, 2, 5
        #expect(nometa.fillValue == 3)
        #expect(abs(nometa.mean - 10.0 / 3) < 1e-12)
        #expect(abs(nometa.scale - (42.0 / 27).squareRoot()) < 1e-12)
        let agk = try #require(specs["ALTERSKATEGORIE_GROB"])  // 2, NaN (0 is unknown), 1
        #expect(agk.fillValue == 1.5)
        #expect(abs(agk.mean - 1.5) < 1e-12)  // 2, 1.5, 1
        #expect(abs(agk.scale - (1.0 / 6).squareRoot()) < 1e-12)
        let year = try #require(specs["EINGEFUEGT_AM"])  // 1992, 2005, 1992
        #expect(year.fillValue == 1992)
        let share = try #require(specs["ROW_MISSING_SHARE"])  // 0, 1/7, 0
        #expect(share.fillValue == 0)
        #expect(abs(share.mean - 1.0 / 21) < 1e-15)

        // Row 11 (NOMETA empty): filled with 3, then standardised.
        let m = try fit.transform.transform(table: table)
        let j = try #require(fit.transform.featureNames.firstIndex(of: "NOMETA"))
        let want: Double = (3 - 10.0 / 3) / (42.0 / 27).squareRoot()
        #expect(abs(m.scaled[12 + j] - want) < 1e-12)
    }

    @Test func strictRefusesUnparsableTokens() throws {
        let csv = TinyPopulation.csv.replacingOccurrences(of: "13;0;;8A;55;;;15;4.0;4", with: "13;0;;8A;55;;;15;abc;4")
        let table = try CSVReader.read(bytes: Array(csv.utf8), name: "tiny.csv")
        var options = TinyPopulation.options
        let lenient = try CleaningFit.fit(population: table, file: "tiny.csv", catalog: TinyPopulation.catalog, options: options)
        #expect(lenient.summary.columns.first { $0.name == "NOMETA" }?.unparsableTokens == 1)
        options.strict = true
        #expect(throws: CleaningError.unparsableToken(file: "tiny.csv", line: 5, column: "NOMETA", token: "abc")) {
            try CleaningFit.fit(population: table, file: "tiny.csv", catalog: TinyPopulation.catalog, options: options)
        }
    }
}
