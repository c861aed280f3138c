import Foundation
import Testing

@testable import ModelFormat

/// The scoring fixture with node statistics on its tree "B <= 2.5": 30 training rows went left
/// (leaf -1), 10 right (leaf +1), so the expected raw score is (−30 + 10) / 40 = −0.5 and a
/// row's SHAP value of B is its leaf + 0.5.
@Suite struct ReasonCodesTests {
    static func model() throws -> ScoringModel {
        var trees = TreeEnsemble(featureCount: 2, initialScore: 0)
        trees.appendTree(
            splitFeature: [1], threshold: [2.5], defaultLeft: [false], leftChild: [~0], rightChild: [~1], leafValue: [-1, 1],
            statistics: .init(splitGain: [1], nodeCount: [40], nodeWeight: [9], leafCount: [30, 10], leafWeight: [7, 2]))
        var bundle = ScoringFixtures.bundle()
        bundle.setSection(BundleSection.booster, trees)
        return try ScoringModel(bundle: bundle, path: "fixture")
    }

    @Test("CSV reasons: B's SHAP value, and A pulling the row to its centre (w·x = centre × A)")
    func csvLines() throws {
        let model = try Self.model()
        // Row 1: A = -2 → segment 1 (centre -1): A pulls with (-1)(-2) = 2; B = 2 goes left: -1 + 0.5.
        // Row 2: A = 2 → segment 2 (centre 3): pull 6; B = 3 goes right: +1.5.
        // Row 3: A and B unknown (9): insufficient data, no segment reasons; B missing goes right.
        let outcomes = try BatchScorer.score(Array("LNR;A;B\n1;-2;2\n2;2;3\n3;9;9\n".utf8), model: model, reasons: 3)
        let format = ScoreFormat(reasons: 3)
        #expect(format.header(idColumn: "LNR") == "LNR;segment;segment_label;probability;reasons;segment_reasons\n")
        let p = outcomes.map { outcome -> Double in
            guard case .scored(_, _, let p, _) = outcome else { return .nan }
            return p
        }
        #expect(format.line(outcomes[0], model: model) == "1;1;under-represented;\(p[0]);B:-0.500;A:+2.000\n")
        #expect(format.line(outcomes[1], model: model) == "2;2;core;\(p[1]);B:+1.500;A:+6.000\n")
        #expect(format.line(outcomes[2], model: model) == "3;0;insufficient-data;\(p[2]);B:+1.500;\n")
        let jsonl = ScoreFormat(style: .jsonl, reasons: 1)
        #expect(jsonl.line(outcomes[0], model: model) == #"{"LNR":"1","segment":1,"segment_label":"under-represented","probability":"#
            + "\(p[0])" + #","reasons":[{"attribute":"B","contribution":-0.5}],"segment_reasons":[{"attribute":"A","pull":2.0}]}"# + "\n")
        // Without --reasons the line is what it always was.
        #expect(ScoreFormat().line(outcomes[0], model: model) == "1;1;under-represented;\(p[0])\n")
        #expect(try BatchScorer.score(Array("LNR;A;B\n1;-2;2\n".utf8), model: model)[0] == .scored(id: "1", segment: 0, probability: p[0]))
    }

    @Test("features of one attribute are summed; the top N are by |contribution|, ties by attribute order")
    func grouping() throws {
        // Features 0 and 1 come from input 0, feature 2 from input 1, feature 3 is the missing share.
        let transform = CleaningTransform(
            idColumn: "LNR",
            inputs: [InputColumn(name: "CAMEO_INTL_2015", reading: .number), InputColumn(name: "B", reading: .number)],
            features: [
                FeatureSpec(name: "CAMEO_INTL_2015_WEALTH", recipe: .tensDigit(input: 0)),
                FeatureSpec(name: "CAMEO_INTL_2015_LIFE_STAGE", recipe: .unitsDigit(input: 0)),
                FeatureSpec(name: "B", recipe: .value(input: 1)),
                FeatureSpec(name: "ROW_MISSING_SHARE", recipe: .missingShare),
            ],
            maxRowMissingShare: 0.5)
        let reasons = try #require(ReasonModel(transform: transform, booster: TreeSHAPTests.twoTrees))
        #expect(reasons.attributeNames == ["CAMEO_INTL_2015", "B", "ROW_MISSING_SHARE"])
        #expect(reasons.featureAttribute == [0, 0, 1, 2])
        let explainer = RowExplainer(model: reasons, count: 2)
        for row in TreeSHAPTests.rows {
            let phi = reasons.shap.contributions(row)
            let sums = row.withUnsafeBufferPointer { explainer.attributeContributions(raw: $0) }
            #expect(abs(sums[0] - (phi[0] + phi[1])) < 1e-15 && sums[1] == phi[2] && sums[2] == phi[3])
            #expect(abs(reasons.shap.expectedValue + sums.reduce(0, +) - TreeSHAPTests.twoTrees.rawScore(row)) < 1e-12)
        }
        #expect(RowExplainer.top(2, of: [0.1, -0.3, 0.3, 0, 0.2]) { abs($0) }
            == [Reason(attribute: 1, value: -0.3), Reason(attribute: 2, value: 0.3)])
        #expect(RowExplainer.top(3, of: [0.1, -0.3, 0, 0.2]) { $0 } == [Reason(attribute: 3, value: 0.2), Reason(attribute: 0, value: 0.1)])
    }
}
