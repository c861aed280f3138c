import Foundation
import ModelFormat
import Numerics
import Testing
@testable import Learning

/// The per-node training statistics the booster keeps for TreeSHAP and the LightGBM export.
@Suite struct NodeStatisticsTests {
    @Test("one split by hand: 8 rows at the root, 4 per leaf, hessian 8 · 0.234375 split in halves, the split's gain")
    func handSplit() throws {
        // The rows of singleSplitLandsWhereHandComputationPutsIt: base rate 5/8, every row's
        // hessian 0.625 · 0.375 = 0.234375; the best split x ≤ 2.5 sends 4 rows each way with gain 4.8.
        var parameters = BoosterParameters()
        parameters.numIterations = 1
        parameters.numLeaves = 2
        parameters.minDataInLeaf = 1
        let x: [[Double]] = [[1, 7], [2, 7], [3, 7], [4, 7], [1, 7], [2, 7], [3, 7], [4, 7]]
        let y: [UInt8] = [0, 0, 1, 1, 0, 1, 1, 1]
        let model = try HistogramBooster(parameters: parameters).fit(Matrix(x), labels: y).ensemble
        #expect(model.hasNodeStatistics)
        #expect(model.nodeCount == [8] && model.leafCount == [4, 4])
        #expect(abs(model.nodeWeight[0] - 1.875) < 1e-15)
        #expect(model.leafWeight.allSatisfy { abs($0 - 0.9375) < 1e-15 })
        #expect(abs(model.splitGain[0] - 4.8) < 1e-12)
    }

    @Test("a bagged, feature-sampled fit with missing values: counts add up and SHAP is locally accurate on every row")
    func baggedFit() throws {
        var random = SplitMix64(seed: 11)
        let rows = 1500, columns = 6
        var values = [Double](repeating: 0, count: rows * columns)
        var labels = [UInt8](repeating: 0, count: rows)
        for i in 0..<rows {
            for j in 0..<columns { values[i * columns + j] = random.nextUnit() < 0.15 ? .nan : Double(random.nextIndex(below: 4 + 3 * j)) }
            let a = values[i * columns], b = values[i * columns + 1]
            let logit = (a.isNaN ? 0.5 : a - 1.5) + (b.isNaN ? -1 : b > 4 ? 1 : -0.5) - 1
            labels[i] = random.nextUnit() < Logistic.sigmoid(logit) ? 1 : 0
        }
        var parameters = BoosterParameters()
        parameters.numIterations = 25
        parameters.numLeaves = 8
        parameters.minDataInLeaf = 10
        parameters.baggingFraction = 0.7
        parameters.baggingFreq = 1
        parameters.featureFraction = 0.7
        parameters.lambdaL2 = 1
        let matrix = Matrix(rows: rows, columns: columns, values: values)
        let model = try HistogramBooster(parameters: parameters).fit(matrix, labels: labels).ensemble
        #expect(model.hasNodeStatistics)
        var bagSizes = Set<Int32>()
        for t in 0..<model.treeCount where model.nodeStart[t + 1] > model.nodeStart[t] {
            let root = model.nodeCount[Int(model.nodeStart[t])]
            bagSizes.insert(root)
            let leaves = Int(model.leafStart[t])..<Int(model.leafStart[t + 1])
            #expect(leaves.reduce(Int32(0)) { $0 + model.leafCount[$1] } == root)
        }
        #expect(bagSizes.allSatisfy { $0 < rows } && bagSizes.count > 1, "bags of about 70 % of the rows, drawn anew per tree")
        let shap = try #require(TreeSHAP(model))
        for r in 0..<rows {
            let row = Array(values[(r * columns)..<((r + 1) * columns)])
            let phi = shap.contributions(row)
            #expect(abs(shap.expectedValue + phi.reduce(0, +) - model.rawScore(row)) < 1e-9, "row \(r)")
        }
    }
}
