import Foundation
import Testing

@testable import ModelFormat

/// Shapley values by their definition, for checking ``TreeSHAP`` independently: the value of a
/// set S of known features is the ensemble's expected output when only S is known (at a split
/// on an unknown feature both children count, weighted by their training rows), and φ_i is
/// the weighted mean of i's marginal contributions over all subsets of the other features.
enum BruteForceShapley {
    static func value(_ e: TreeEnsemble, row: [Double], known: Set<Int>) -> Double {
        var total = e.initialScore
        for t in 0..<e.treeCount {
            let n0 = Int(e.nodeStart[t]), l0 = Int(e.leafStart[t])
            if Int(e.nodeStart[t + 1]) == n0 {
                total += e.leafValue[l0]
                continue
            }
            func expected(_ child: Int32) -> Double {
                if child < 0 { return e.leafValue[l0 + Int(~child)] }
                let i = n0 + Int(child)
                let f = Int(e.splitFeature[i])
                if known.contains(f) {
                    let x = row[f]
                    return expected(x.isNaN ? (e.defaultLeft[i] ? e.leftChild[i] : e.rightChild[i])
                        : (x <= e.threshold[i] ? e.leftChild[i] : e.rightChild[i]))
                }
                func count(_ c: Int32) -> Double { c < 0 ? Double(e.leafCount[l0 + Int(~c)]) : Double(e.nodeCount[n0 + Int(c)]) }
                let (left, right) = (e.leftChild[i], e.rightChild[i])
                return (count(left) * expected(left) + count(right) * expected(right)) / Double(e.nodeCount[i])
            }
            total += expected(0)
        }
        return total
    }

    static func shapley(_ e: TreeEnsemble, row: [Double]) -> [Double] {
        let m = e.featureCount
        func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }
        return (0..<m).map { i in
            let others = (0..<m).filter { $0 != i }
            var phi = 0.0
            for mask in 0..<(1 << others.count) {
                let s = Set(others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] })
                let weight = factorial(s.count) * factorial(m - s.count - 1) / factorial(m)
                phi += weight * (value(e, row: row, known: s.union([i])) - value(e, row: row, known: s))
            }
            return phi
        }
    }
}

/// xorshift64*: a seeded generator, so every run draws the same trees and rows.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

@Suite struct TreeSHAPTests {
    /// Root "x0 <= 0" (100 rows: 60 left, 40 right); left "x1 <= 0" (leaves 1 with 20 rows, 2
    /// with 40); right leaf 3 (40 rows).
    static var depthTwo: TreeEnsemble {
        var e = TreeEnsemble(featureCount: 2, initialScore: 0)
        e.appendTree(
            splitFeature: [0, 1], threshold: [0, 0], defaultLeft: [true, false], leftChild: [1, ~0], rightChild: [~2, ~1],
            leafValue: [1, 2, 3],
            statistics: .init(splitGain: [5, 1], nodeCount: [100, 60], nodeWeight: [25, 15], leafCount: [20, 40, 40],
                              leafWeight: [5, 10, 10]))
        return e
    }

    @Test("a depth-2 tree, worked out by hand: φ0 = -7/15, φ1 = 4/15, E = 2.2")
    func handComputed() throws {
        // f(x) = 2 for x = (-1, 1). v({}) = 2.2, v({0}) = 100/60, v({1}) = 0.6·2 + 0.4·3 = 2.4,
        // v({0,1}) = 2; φ0 = ½[(v0 − v∅) + (v01 − v1)] = -7/15, φ1 = ½[(v1 − v∅) + (v01 − v0)] = 4/15.
        let shap = try #require(TreeSHAP(Self.depthTwo))
        #expect(abs(shap.expectedValue - 2.2) < 1e-15)
        let phi = shap.contributions([-1, 1])
        #expect(abs(phi[0] - -7.0 / 15) < 1e-12)
        #expect(abs(phi[1] - 4.0 / 15) < 1e-12)
        #expect(shap.maxDepth == 2)
    }

    /// Two trees over four features, the second splitting on x0 twice on one path (TreeSHAP's
    /// unwinding) and on x2 with missing values going left.
    static var twoTrees: TreeEnsemble {
        var e = TreeEnsemble(featureCount: 4, initialScore: -1.25)
        e.appendTree(
            splitFeature: [0, 1, 2], threshold: [0.5, -1, 3], defaultLeft: [false, true, false],
            leftChild: [1, ~0, ~2], rightChild: [2, ~1, ~3], leafValue: [0.3, -0.2, 0.7, -0.4],
            statistics: .init(splitGain: [3, 2, 1], nodeCount: [200, 120, 80], nodeWeight: [50, 30, 20],
                              leafCount: [70, 50, 35, 45], leafWeight: [17, 13, 9, 11]))
        e.appendTree(
            splitFeature: [0, 2, 0, 3], threshold: [1, 0, -2, 10], defaultLeft: [true, true, false, false],
            leftChild: [1, 2, ~0, ~3], rightChild: [3, ~2, ~1, ~4], leafValue: [0.11, -0.05, 0.02, 0.09, -0.13],
            statistics: .init(splitGain: [4, 3, 2, 1], nodeCount: [300, 180, 100, 120], nodeWeight: [70, 40, 25, 30],
                              leafCount: [30, 70, 80, 60, 60], leafWeight: [7, 18, 15, 15, 15]))
        return e
    }

    static let rows: [[Double]] = [
        [-3, -2, 1, 5], [0.7, 0, 4, 12], [2, .nan, .nan, 0], [.nan, 1, -1, .nan], [-1.5, -1, 0, 10], [1, 2, 3, 4],
    ]

    @Test("two trees with a repeated feature and missing values agree with Shapley values by brute force")
    func bruteForce() throws {
        let ensemble = Self.twoTrees
        let shap = try #require(TreeSHAP(ensemble))
        for row in Self.rows {
            let phi = shap.contributions(row)
            let reference = BruteForceShapley.shapley(ensemble, row: row)
            for f in 0..<4 { #expect(abs(phi[f] - reference[f]) < 1e-12, "row \(row) feature \(f)") }
            // Local accuracy: the contributions and the expected value add up to the raw score.
            #expect(abs(shap.expectedValue + phi.reduce(0, +) - ensemble.rawScore(row)) < 1e-12)
            #expect(abs(shap.expectedValue - BruteForceShapley.value(ensemble, row: row, known: [])) < 1e-12)
        }
    }

    /// A random tree of `leaves` leaves over `features` features (repeats on a path likely),
    /// with consistent training counts: each node's rows split between its children.
    static func randomTree(
        into e: inout TreeEnsemble, leaves: Int, features: Int, generator: inout XorShift
    ) {
        var splitFeature: [UInt16] = [], threshold: [Double] = [], defaultLeft: [Bool] = []
        var left: [Int32] = [], right: [Int32] = [], nodeCount: [Int32] = []
        var leafValue: [Double] = [], leafCount: [Int32] = []
        // Preorder: a node's children come after it. Returns the child code (node or ~leaf).
        func grow(leaves: Int, rows: Int) -> Int32 {
            if leaves == 1 {
                leafValue.append(Double(Int(generator.next() % 2001) - 1000) / 1000)
                leafCount.append(Int32(rows))
                return ~Int32(leafCount.count - 1)
            }
            let node = splitFeature.count
            splitFeature.append(UInt16(generator.next() % UInt64(features)))
            threshold.append(Double(Int(generator.next() % 5)) - 2)
            defaultLeft.append(generator.next() % 2 == 0)
            nodeCount.append(Int32(rows))
            left.append(0)
            right.append(0)
            let leftLeaves = 1 + Int(generator.next() % UInt64(leaves - 1))
            let leftRows = leftLeaves + Int(generator.next() % UInt64(rows - leaves + 1))
            left[node] = grow(leaves: leftLeaves, rows: leftRows)
            right[node] = grow(leaves: leaves - leftLeaves, rows: rows - leftRows)
            return Int32(node)
        }
        _ = grow(leaves: leaves, rows: 50 * leaves + Int(generator.next() % 500))
        e.appendTree(
            splitFeature: splitFeature, threshold: threshold, defaultLeft: defaultLeft, leftChild: left,
            rightChild: right, leafValue: leafValue,
            statistics: .init(
                splitGain: splitFeature.map { _ in 1 }, nodeCount: nodeCount, nodeWeight: nodeCount.map(Double.init),
                leafCount: leafCount, leafWeight: leafCount.map(Double.init)))
    }

    @Test("leaf tables give the walk's values and the brute-force Shapley values on random trees", arguments: [1, 2, 3])
    func leafTablesAgree(seed: UInt64) throws {
        var generator = XorShift(state: 0x9E37_79B9_7F4A_7C15 &* seed)
        let features = 5
        var ensemble = TreeEnsemble(featureCount: features, initialScore: 0.25)
        for t in 0..<6 { Self.randomTree(into: &ensemble, leaves: 2 + t * 2, features: features, generator: &generator) }
        let tables = try #require(TreeSHAP(ensemble))
        let walk = try #require(TreeSHAP(ensemble, tableBudget: 0))
        #expect(tables.tables.covers.allSatisfy { $0 } && walk.tables.covers.allSatisfy { !$0 })
        // A budget that fits only the first trees: the rest are walked, the sums agree.
        let mixed = try #require(TreeSHAP(ensemble, tableBudget: 200))
        #expect(mixed.tables.covers.contains(true) && mixed.tables.covers.contains(false))
        for _ in 0..<25 {
            let row = (0..<features).map { _ -> Double in
                generator.next() % 6 == 0 ? .nan : Double(Int(generator.next() % 7)) - 3
            }
            let reference = BruteForceShapley.shapley(ensemble, row: row)
            for shap in [tables, walk, mixed] {
                let phi = shap.contributions(row)
                for f in 0..<features { #expect(abs(phi[f] - reference[f]) < 1e-12, "row \(row) feature \(f)") }
                #expect(abs(shap.expectedValue + phi.reduce(0, +) - ensemble.rawScore(row)) < 1e-12)
            }
        }
    }

    @Test("trees without node statistics (format 1.0) give no SHAP values")
    func withoutStatistics() {
        #expect(TreeSHAP(ScoringFixtures.trees) == nil)
    }

    @Test("node statistics survive the binary round trip; a 1.0 section still reads; bad counts are refused")
    func binary() throws {
        let ensemble = Self.twoTrees
        #expect(try TreeEnsemble(binary: ensemble.binaryEncoded()) == ensemble)
        // A 1.0 writer stops after the leaf values: the same trees without statistics.
        var old = ensemble
        (old.splitGain, old.nodeCount, old.nodeWeight, old.leafCount, old.leafWeight) = ([], [], [], [], [])
        let decoded = try TreeEnsemble(binary: old.binaryEncoded())
        #expect(decoded == old && !decoded.hasNodeStatistics)
        var wrong = ensemble
        wrong.nodeCount[1] = 121  // its leaves hold 70 + 50
        #expect(throws: BundleError.self) { try TreeEnsemble(binary: wrong.binaryEncoded()) }
        var empty = ensemble
        empty.leafCount[0] = 0
        empty.nodeCount[1] = 50
        empty.nodeCount[0] = 130
        #expect(throws: BundleError.self) { try TreeEnsemble(binary: empty.binaryEncoded()) }
        #expect(try TreeEnsemble(binary: ensemble.prefix(trees: 1).binaryEncoded()).hasNodeStatistics)
    }
}
