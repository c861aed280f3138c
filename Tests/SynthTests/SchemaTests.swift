import Foundation
import Testing

@testable import Synth

@Suite struct SchemaTests {
    @Test func bundledSchemaDecodes() throws {
        let schema = try ArvatoSchema.bundled()
        #expect(schema.columns.count == 366)
        #expect(schema.files["AZDIAS"]?.rows == 891_221)
        #expect(schema.files["CUSTOMERS"]?.columns.count == 369)
        #expect(schema.extraColumns["RESPONSE"]?.valueCounts["1"] == 532)
        let kba = try #require(schema.column(named: "KBA05_ALTER1"))
        #expect(kba.metadata?.codes.first == .text("-1, 9"))
        #expect(kba.metadata?.unknownIntegers == [-1, 9])
        #expect(schema.column(named: "CAMEO_INTL_2015")?.metadata?.name == "CAMEO_DEUINTL_2015")
    }

    @Test func metadataCodesParse() {
        #expect(MetadataCode.text("-1, 0").integers == [-1, 0])
        #expect(MetadataCode.text("-1").integers == [-1])
        #expect(MetadataCode.text("…").integers == [])
        #expect(MetadataCode.text("1A").integers == [])
        #expect(MetadataCode.integer(9).integers == [9])
    }

    @Test func marginalFitKeepsMeanAndQuartiles() throws {
        // AGER_TYP: min -1, quartiles -1/-1/-1, max 3, mean -0.358435 (schema).
        let column = try #require(try ArvatoSchema.bundled().column(named: "AGER_TYP"))
        let marginal = MarginalFit.numeric(
            domain: [-1, 0, 1, 2, 3], stats: try #require(column.azdias), unknown: [-1], render: { String($0) })
        let values = marginal.ordered.map { Double($0.token)! }
        let p = marginal.ordered.map(\.probability)
        let mean = zip(values, p).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(mean - -0.358435) < 1e-6)
        #expect(abs(p.reduce(0, +) - 1) < 1e-9)
        #expect(p[0] >= 0.75)  // p75 is -1
        #expect(marginal.rare.isEmpty)  // -1 sits on the quartiles: ordinary data
    }

    @Test func aucMatchesHandComputedValues() throws {
        // scikit-learn's roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
        #expect(AUC.of(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
        // Two people, p = 0.2 and 0.6: 0.6·0.8 / (0.6·0.8 + 0.2·0.4) = 0.48 / 0.56.
        let expected = try #require(AUC.expected(probabilities: [0.2, 0.6]))
        #expect(abs(expected - 0.48 / 0.56) < 1e-12)
    }
}
