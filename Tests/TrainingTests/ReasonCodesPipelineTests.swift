import Foundation
import Synth
import Tabular
import Testing

@testable import ModelFormat
@testable import Training

/// Reason codes and the LightGBM export on a bundle the real pipeline trained (1 % scale).
@Suite(.serialized) struct ReasonCodesPipelineTests {
    @Test("local accuracy on every test row: expected value + attribute contributions = the trees' raw score (1e-9)")
    func localAccuracy() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let model = run.model
        #expect(model.booster.hasNodeStatistics)
        let reasons = try #require(model.reasonModel)
        // The trainer's trees fit the default table budget: every row takes the tables' path.
        #expect(reasons.shap.tables.covers.allSatisfy { $0 })
        let table = try CSVReader.read(path: PipelineFixture.data + "/" + SynthFile.mailoutTest.fileName)
        let matrix = try model.transform.transform(table: table, parts: .raw)
        let explainer = RowExplainer(model: reasons, count: 3)
        var nonzero = 0
        try matrix.raw.withUnsafeBufferPointer { raw in
            for r in 0..<matrix.rows {
                let row = UnsafeBufferPointer(rebasing: raw[(r * matrix.columns)..<((r + 1) * matrix.columns)])
                let contributions = explainer.attributeContributions(raw: row)
                nonzero += contributions.filter { $0 != 0 }.count
                let total = reasons.shap.expectedValue + contributions.reduce(0, +)
                try #require(abs(total - model.booster.rawScore(row)) < 1e-9, "row \(r)")
            }
        }
        #expect(nonzero > matrix.rows, "the trees split on attributes of these rows")
        // Every tree's leaves hold all the rows its root saw (bagging: a subset of the 430).
        for t in 0..<model.booster.treeCount where model.booster.nodeStart[t + 1] > model.booster.nodeStart[t] {
            let leaves = Int(model.booster.leafStart[t])..<Int(model.booster.leafStart[t + 1])
            let root = Int(model.booster.nodeCount[Int(model.booster.nodeStart[t])])
            #expect(leaves.reduce(0) { $0 + Int(model.booster.leafCount[$1]) } == root && root <= table.rowCount)
        }
    }

    @Test("the record path's reasons are the table path's; explain finds the row; the bundle describes its attributes")
    func recordPathAndExplain() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let model = run.model
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: PipelineFixture.data + "/" + SynthFile.mailoutTest.fileName)))
        let outcomes = try BatchScorer.score(bytes, model: model, reasons: 4)
        let test = try #require(run.test)
        for (i, outcome) in outcomes.prefix(50).enumerated() {
            guard case .scored(let id, let segment, let probability, let reasons?) = outcome else {
                Issue.record("row \(i) has no reasons")
                continue
            }
            #expect(id == test.ids[i] && segment == test.segments[i] && probability == test.probabilities[i])
            #expect(reasons.response.count == 4)
            #expect(zip(reasons.response, reasons.response.dropFirst()).allSatisfy { abs($0.value) >= abs($1.value) })
            #expect(zip(reasons.segment, reasons.segment.dropFirst()).allSatisfy { $0.value >= $1.value })
            #expect(reasons.segment.allSatisfy { $0.value > 0 })
            if segment == model.segments.insufficientDataSegment { #expect(reasons.segment.isEmpty) }
            if i < 5 {
                let explained = try ProspectExplanation(id: id, in: bytes, model: model, count: 4)
                #expect(explained.probability == probability && explained.segment == segment && explained.reasons == reasons)
            }
        }
        #expect(throws: ProspectExplanation.Failure.self) { try ProspectExplanation(id: "no such id", in: bytes, model: model, count: 4) }

        let descriptions = try run.bundle.section(BundleSection.attributes, as: AttributeDescriptions.self)
        #expect(descriptions.entries.map(\.column) == model.transform.inputs.map(\.name))
        let described = descriptions.entries.filter { !$0.description.isEmpty }
        #expect(described.count > model.transform.inputs.count / 2)
        #expect(described.contains { !$0.meanings.isEmpty })
    }

    @Test("the LightGBM text: one block per tree whose byte sizes tree_sizes gives, names and counts in place")
    func lightGBMText() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let booster = run.model.booster
        let text = try LightGBMModelText.text(booster, featureNames: run.model.transform.featureNames)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let sizes = try #require(lines.first { $0.hasPrefix("tree_sizes=") }).dropFirst("tree_sizes=".count).split(separator: " ").map { Int($0)! }
        #expect(sizes.count == booster.treeCount)
        let utf8 = Array(text.utf8)
        var offset = utf8.count - Array(text[text.range(of: "\nTree=0\n")!.upperBound...].utf8).count - "Tree=0\n".utf8.count
        for (t, size) in sizes.enumerated() {
            #expect(String(decoding: utf8[offset..<(offset + 6 + String(t).count)], as: UTF8.self) == "Tree=\(t)\n")
            offset += size
        }
        #expect(String(decoding: utf8[offset...], as: UTF8.self).hasPrefix("end of trees\n"))
        #expect(lines.contains("max_feature_idx=\(booster.featureCount - 1)"))
        #expect(lines.filter { $0.hasPrefix("leaf_count=") }.count == booster.treeCount)
        #expect(throws: LightGBMModelText.Failure.self) { try LightGBMModelText.text(booster, featureNames: ["too", "few"]) }
    }
}
