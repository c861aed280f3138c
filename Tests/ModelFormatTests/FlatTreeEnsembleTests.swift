import Testing

@testable import ModelFormat

@Suite struct FlatTreeEnsembleTests {
    @Test("the depth-2 tree and a single-leaf tree, worked out by hand, missing values included")
    func handComputed() {
        // Tree 0 (TreeSHAPTests.depthTwo): x0 <= 0 (missing: left) → x1 <= 0 (missing: right)
        // → leaf 1 (value 1) or leaf 2 (value 2); x0 > 0 → leaf 3 (value 3). Tree 1: 0.5.
        var ensemble = TreeSHAPTests.depthTwo
        ensemble.initialScore = 0.25
        ensemble.appendTree(splitFeature: [], threshold: [], defaultLeft: [], leftChild: [], rightChild: [], leafValue: [0.5])
        let flat = FlatTreeEnsemble(ensemble)
        let cases: [([Double], Double)] = [
            ([-1, -1], 0.25 + 1 + 0.5),
            ([0, 0], 0.25 + 1 + 0.5),
            ([-1, 1], 0.25 + 2 + 0.5),
            ([.nan, .nan], 0.25 + 2 + 0.5),
            ([.nan, -3], 0.25 + 1 + 0.5),
            ([1, -1], 0.25 + 3 + 0.5),
            ([0.5, .nan], 0.25 + 3 + 0.5),
        ]
        for (row, expected) in cases {
            #expect(flat.rawScore(row) == expected, "\(row)")
        }
    }

    @Test("no trees, or trees over no features: the initial score plus the single leaves")
    func degenerate() {
        #expect(FlatTreeEnsemble(TreeEnsemble(featureCount: 3, initialScore: -0.5)).rawScore([1, 2, 3]) == -0.5)
        var leaves = TreeEnsemble(featureCount: 0, initialScore: 1)
        for value in [0.25, 0.5] {
            leaves.appendTree(splitFeature: [], threshold: [], defaultLeft: [], leftChild: [], rightChild: [], leafValue: [value])
        }
        #expect(FlatTreeEnsemble(leaves).rawScore([]) == 1.75)
    }

    @Test("random ensembles (1 to 13 trees, 1 to 12 leaves): the same bits as TreeEnsemble's walk", arguments: [1, 2, 3, 4])
    func sameBitsAsTheWalk(seed: UInt64) {
        var generator = XorShift(state: 0xD1B5_4A32_D192_ED03 &* seed)
        let features = 6
        for trees in 1...13 {
            var ensemble = TreeEnsemble(featureCount: features, initialScore: Double(Int(generator.next() % 200)) / 100 - 1)
            for _ in 0..<trees {
                let leaves = 1 + Int(generator.next() % 12)
                TreeSHAPTests.randomTree(into: &ensemble, leaves: leaves, features: features, generator: &generator)
            }
            let flat = FlatTreeEnsemble(ensemble)
            for _ in 0..<200 {
                // Values around the thresholds (-2...2), exactly on them, and missing.
                let row = (0..<features).map { _ -> Double in
                    let draw = generator.next() % 11
                    return draw == 10 ? .nan : Double(Int(draw)) / 2 - 2.5
                }
                #expect(flat.rawScore(row).bitPattern == ensemble.rawScore(row).bitPattern, "\(trees) trees, row \(row)")
            }
        }
    }

    @Test("a child pointing backwards stops the process before an unchecked walk could loop or read outside")
    func backwardChildRefused() async {
        await #expect(processExitsWith: .failure) {
            var ensemble = TreeEnsemble(featureCount: 1, initialScore: 0)
            ensemble.appendTree(
                splitFeature: [0, 0], threshold: [0, 0], defaultLeft: [true, true], leftChild: [1, 0], rightChild: [~0, ~1],
                leafValue: [1, 2, 3])
            _ = FlatTreeEnsemble(ensemble)
        }
    }
}
