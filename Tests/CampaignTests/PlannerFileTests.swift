import Foundation
import ModelFormat
import Numerics
import Testing

@testable import Campaign

/// `trainer plan`'s library end to end on a hand-built bundle: scoring through the row path,
/// the list, and the rows that cannot be scored.
@Suite struct PlannerFileTests {
    /// Inputs A, B (numbers) as features; PCA keeps them; centroids (0,0) and (10,10).
    /// One tree: A <= 5 → -2, else +1, so p = sigmoid(-2) or sigmoid(1).
    static func model() throws -> ScoringModel {
        let transform = CleaningTransform(
            idColumn: "LNR",
            inputs: [InputColumn(name: "A", reading: .number), InputColumn(name: "B", reading: .number)],
            features: [FeatureSpec(name: "A", recipe: .value(input: 0)), FeatureSpec(name: "B", recipe: .value(input: 1))],
            maxRowMissingShare: 0.5)
        var bundle = ModelBundle(
            manifest: BundleManifest(
                bundleId: "plan-test", createdAt: "2026-12-04T03:00:00Z", prospectorVersion: "test",
                inputSchema: BundleManifest.InputSchema(transform: transform)))
        bundle.setSection(BundleSection.transform, transform)
        bundle.setSection(
            BundleSection.pca,
            PCAProjection(mean: [0, 0], components: Matrix([[1, 0], [0, 1]]), explainedVariance: [1, 1], explainedVarianceRatio: [0.5, 0.5]))
        bundle.setSection(BundleSection.centroids, SegmentCentroids(centroids: Matrix([[0, 0], [10, 10]])))
        bundle.setSection(BundleSection.segmentLabels, SegmentLabels(labels: ["core", "neutral", "insufficient-data"]))
        var trees = TreeEnsemble(featureCount: 2, initialScore: 0)
        trees.appendTree(splitFeature: [0], threshold: [5], defaultLeft: [true], leftChild: [~0], rightChild: [~1], leafValue: [-2, 1])
        bundle.setSection(BundleSection.booster, trees)
        bundle.setSection(BundleSection.calibration, ProbabilityCalibrator.none)
        return try ScoringModel(bundle: bundle, path: "plan-test")
    }

    @Test func badRowsGoToTheErrorFileAndAreNeverMailed() throws {
        let directory = NSTemporaryDirectory() + "plan-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let prospects = directory + "/prospects.csv"
        // Row 3 has a word in a number column, row 6 a field too few: both refused.
        try "LNR;A;B\n1;1;0\n2;9;0\n3;abc;0\n4;7;10\n\n5;2;10\n6;8\n".write(toFile: prospects, atomically: true, encoding: .utf8)
        // Cost 1, value 2: break-even at p = 0.5; sigmoid(1) = 0.731 pays, sigmoid(-2) = 0.119 does not.
        let planner = try MailingPlanner(
            model: try Self.model(), options: PlanOptions(costPerMail: 1, valuePerResponse: 2, cut: .minProfit),
            temporaryDirectory: directory)
        let summary = try planner.plan(prospects: prospects, output: directory + "/list.csv", errors: directory + "/errors.csv")

        let list = try String(contentsOfFile: directory + "/list.csv", encoding: .utf8)
        let p = 1 / (1 + exp(-1.0))
        // Equal probabilities: the earlier row first. (9,0) is nearer (0,0); (7,10) nearer (10,10).
        #expect(
            list == "LNR;rank;segment;segment_label;probability;expected_value\n"
                + "2;1;1;core;\(p);\(String(format: "%.4f", p * 2 - 1))\n"
                + "4;2;2;neutral;\(p);\(String(format: "%.4f", p * 2 - 1))\n")
        let errors = try String(contentsOfFile: directory + "/errors.csv", encoding: .utf8)
        #expect(
            errors == "LNR;row;error\n3;3;column A: 'abc' is not a number\n6;6;row has 2 fields, the header has 3\n")
        #expect(summary.rowsRead == 6)
        #expect(summary.rowsWithErrors == 2)
        #expect(summary.total.scored == 4)
        #expect(summary.total.mailed == 2)
        #expect(abs(summary.total.expectedResponders - 2 * p) < 1e-12)
        #expect(summary.segments.map(\.segment) == [1, 2])
    }

    @Test func smallChunksGiveTheSameList() throws {
        // Lines cut across chunk boundaries must be read whole.
        let model = try Self.model()
        var text = "LNR;A;B\n"
        for i in 1...500 { text += "\(i);\(i % 11);\(i % 7)\n" }
        let directory = NSTemporaryDirectory() + "plan-chunks-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try text.write(toFile: directory + "/p.csv", atomically: true, encoding: .utf8)
        var whole: [Int: RowOutcome] = [:]
        var pieces: [Int: RowOutcome] = [:]
        try FileRowScorer(model: model).score(path: directory + "/p.csv") { whole[$0] = $1 }
        var small = FileRowScorer(model: model, chunkBytes: 7)
        small.blockRows = 3
        try small.score(path: directory + "/p.csv") { pieces[$0] = $1 }
        #expect(whole.count == 500)
        #expect(whole == pieces)
    }
}
