import Foundation
import ModelFormat
import Numerics
import Testing
@testable import Learning

/// Parameters for one hand-checkable tree: every split allowed, no sampling.
private func handParameters(leaves: Int = 2) -> BoosterParameters {
    var p = BoosterParameters()
    p.numIterations = 1
    p.numLeaves = leaves
    p.minDataInLeaf = 1
    p.learningRate = 0.1
    return p
}

/// Random rows of small-integer codes with some missing values, and labels that depend on them.
private func randomData(rows: Int, columns: Int, seed: UInt64) -> (Matrix, [UInt8]) {
    var random = SplitMix64(seed: seed)
    var values = [Double](repeating: 0, count: rows * columns)
    var labels = [UInt8](repeating: 0, count: rows)
    for i in 0..<rows {
        for j in 0..<columns {
            values[i * columns + j] = random.nextUnit() < 0.1 ? .nan : Double(1 + random.nextIndex(below: 3 + j))
        }
        labels[i] = random.nextUnit() < trueProbability(Array(values[(i * columns)..<((i + 1) * columns)])) ? 1 : 0
    }
    return (Matrix(rows: rows, columns: columns, values: values), labels)
}

/// The probability `randomData` draws labels from.
private func trueProbability(_ row: [Double]) -> Double {
    let logit = (row[0].isNaN ? 1.0 : row[0] - 2) + (row[1] > 3 ? 1 : -1)
    return Logistic.sigmoid(logit - 1)
}

@Test func singleSplitLandsWhereHandComputationPutsIt() throws {
    // Feature 0 carries the signal, feature 1 is constant. Base rate 5/8, so every row has
    // h = 0.625 · 0.375 = 0.234375 and g = 0.625 − y; G = 0. Gains (G_L²/H_L + G_R²/H_R):
    //   x ≤ 1.5: G_L = 1.25, H_L = 0.46875, H_R = 1.40625 → 4.4444
    //   x ≤ 2.5: G_L = 1.5,  H_L = H_R = 0.9375          → 4.8   (best)
    //   x ≤ 3.5: G_L = 0.75, H_L = 1.40625, H_R = 0.46875 → 1.6
    // Leaves: −G/H · lr = ∓1.5 / 0.9375 · 0.1 = −0.16 (left), +0.16 (right).
    let x: [[Double]] = [[1, 7], [2, 7], [3, 7], [4, 7], [1, 7], [2, 7], [3, 7], [4, 7]]
    let y: [UInt8] = [0, 0, 1, 1, 0, 1, 1, 1]
    let fit = try HistogramBooster(parameters: handParameters()).fit(Matrix(x), labels: y)
    let model = fit.ensemble
    #expect(model.treeCount == 1)
    #expect(abs(model.initialScore - log(5.0 / 3.0)) < 1e-15)
    #expect(model.splitFeature == [0])
    #expect(model.threshold == [2.5])
    #expect(model.leafValue.count == 2)
    #expect(abs(model.leafValue[0] - -0.16) < 1e-14)
    #expect(abs(model.leafValue[1] - 0.16) < 1e-14)
    #expect(abs(fit.featureImportance[0] - 4.8) < 1e-12)
    #expect(fit.featureImportance[1] == 0)
}

@Test func leafValuesIncludeTheL2Penalty() throws {
    // Same data, λ = 1: leaves −(±1.5)/(0.9375 + 1) · 0.1.
    var parameters = handParameters()
    parameters.lambdaL2 = 1
    let x: [[Double]] = [[1], [2], [3], [4], [1], [2], [3], [4]]
    let y: [UInt8] = [0, 0, 1, 1, 0, 1, 1, 1]
    let model = try HistogramBooster(parameters: parameters).fit(Matrix(x), labels: y).ensemble
    #expect(abs(model.leafValue[0] - -0.15 / 1.9375) < 1e-14)
    #expect(abs(model.leafValue[1] - 0.15 / 1.9375) < 1e-14)
}

@Test func missingValuesGoWhereTrainingSentThem() throws {
    // Missing rows are responders like x = 1 and unlike x = 2: the best split is {1, missing}
    // against {2}, so missing must learn to go LEFT of the threshold 1.5.
    let x: [[Double]] = [[1], [1], [1], [1], [2], [2], [2], [2], [.nan], [.nan], [.nan], [.nan]]
    let y: [UInt8] = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    let fit = try HistogramBooster(parameters: handParameters()).fit(Matrix(x), labels: y)
    let model = fit.ensemble
    #expect(model.threshold == [1.5])
    #expect(model.defaultLeft == [true])
    #expect(model.rawScore([.nan]) == model.rawScore([1]))
    #expect(model.rawScore([.nan]) > model.rawScore([2]))

    // Missing rows are the only responders: split {1, 2} against {missing}, missing right.
    let y2: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    let model2 = try HistogramBooster(parameters: handParameters()).fit(Matrix(x), labels: y2).ensemble
    #expect(model2.defaultLeft == [false])
    #expect(model2.rawScore([.nan]) > model2.rawScore([2]))
    #expect(model2.rawScore([2]) == model2.rawScore([1]))
}

@Test func histogramSubtractionEqualsDirectBuilding() throws {
    let (matrix, _) = randomData(rows: 400, columns: 6, seed: 3)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    var random = SplitMix64(seed: 9)
    // Multiples of 1/64 sum exactly in doubles, so subtraction must match bit for bit.
    let dyadicG = (0..<400).map { _ in Double(random.nextIndex(below: 129)) / 64 - 1 }
    let dyadicH = (0..<400).map { _ in Double(1 + random.nextIndex(below: 16)) / 64 }
    let parent = (0..<400).map { Int32($0) }.filter { $0 % 7 != 0 }
    let child = parent.filter { $0 % 3 == 0 }
    let sibling = parent.filter { $0 % 3 != 0 }
    let features = (0..<6).map { Int32($0) }

    func build(_ rows: [Int32], _ g: [Double], _ h: [Double]) -> [Double] {
        var histogram = [Double](repeating: 0, count: Histogram.binStride * binned.totalBins)
        histogram.withUnsafeMutableBufferPointer { out in
            binned.codes.withUnsafeBufferPointer { codes in
                rows.withUnsafeBufferPointer { rows in
                    features.withUnsafeBufferPointer { features in
                        Histogram.build(into: out.baseAddress!, codes: codes.baseAddress!, featureCount: 6, rows: rows,
                                        gradients: g, hessians: h, features: features,
                                        offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts)
                    }
                }
            }
        }
        return histogram
    }
    func subtracted(_ g: [Double], _ h: [Double]) -> [Double] {
        var result = build(parent, g, h)
        let small = build(child, g, h)
        result.withUnsafeMutableBufferPointer { out in
            features.withUnsafeBufferPointer { features in
                Histogram.subtract(small, from: out.baseAddress!, features: features,
                                   offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts)
            }
        }
        return result
    }
    #expect(subtracted(dyadicG, dyadicH) == build(sibling, dyadicG, dyadicH))

    // Arbitrary doubles: equal up to rounding.
    let g = (0..<400).map { _ in random.nextUnit() - 0.5 }
    let h = (0..<400).map { _ in random.nextUnit() * 0.25 }
    let derived = subtracted(g, h)
    let direct = build(sibling, g, h)
    for s in 0..<direct.count {
        #expect(abs(derived[s] - direct[s]) < 1e-12)
    }
}

@Test func ensemblePredictionEqualsTrainingScores() throws {
    let (matrix, labels) = randomData(rows: 600, columns: 5, seed: 11)
    let parameters = sampledParameters(
        iterations: 15, leaves: 7, bagging: 0.7, baggingFreq: 2, features: 0.6, seed: 5)
    let fit = try HistogramBooster(parameters: parameters).fit(matrix, labels: labels)
    #expect(fit.ensemble.treeCount == 15)
    for i in 0..<matrix.rows {
        #expect(fit.ensemble.rawScore(matrix.row(i)) == fit.trainingScores[i])
    }
}

@Test func sameSeedSameModelWhateverTheThreads() throws {
    let (matrix, labels) = randomData(rows: 500, columns: 8, seed: 21)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    var parameters = sampledParameters(
        iterations: 10, leaves: 8, bagging: 0.8, baggingFreq: 1, features: 0.5, seed: 42)
    let a = try HistogramBooster(parameters: parameters).fit(binned, labels: labels).ensemble
    parameters.numThreads = 2
    let b = try HistogramBooster(parameters: parameters).fit(binned, labels: labels).ensemble
    #expect(a == b)
    parameters.seed = 43
    let c = try HistogramBooster(parameters: parameters).fit(binned, labels: labels).ensemble
    #expect(a != c)
}

@Test func featureFractionDrawsOneSetOfFeaturesPerTree() throws {
    // LightGBM's feature_fraction (not _bynode): every split of one tree uses the tree's draw of
    // round(0.5 · 8) = 4 features, and the draw changes from tree to tree.
    let (matrix, labels) = randomData(rows: 1000, columns: 8, seed: 3)
    var parameters = BoosterParameters()
    parameters.numIterations = 20
    parameters.numLeaves = 16
    parameters.minDataInLeaf = 5
    parameters.featureFraction = 0.5
    parameters.seed = 9
    let model = try HistogramBooster(parameters: parameters).fit(matrix, labels: labels).ensemble
    var used = Set<UInt16>()
    for t in 0..<model.treeCount {
        let features = Set(model.splitFeature[Int(model.nodeStart[t])..<Int(model.nodeStart[t + 1])])
        #expect(features.count <= 4)
        used.formUnion(features)
    }
    #expect(used.count > 4)
}

@Test func boostingLearnsAndEarlyStoppingKeepsTheBestRound() throws {
    let (matrix, labels) = randomData(rows: 2000, columns: 4, seed: 7)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    var parameters = BoosterParameters()
    parameters.numIterations = 300
    parameters.earlyStoppingRounds = 10
    parameters.learningRate = 0.3
    let training = Array(0..<1500), validation = Array(1500..<2000)
    let fit = try HistogramBooster(parameters: parameters).fit(binned, labels: labels, trainingRows: training,
                                                               validationRows: validation)
    #expect(fit.iterationsRun < 300)
    #expect(fit.iterationsRun == fit.bestIteration + 10)
    #expect(fit.validationAUC[fit.bestIteration - 1] == fit.validationAUC.max())
    #expect(fit.ensemble.treeCount == fit.bestIteration)
    let scores = validation.map { fit.ensemble.rawScore(matrix.row($0)) }
    #expect(scores == fit.validationScores)
    // Within a little of the best possible ranking, that of the true probabilities.
    let heldOut = validation.map { labels[$0] }
    let bayes = Metrics.auc(scores: validation.map { trueProbability(matrix.row($0)) }, labels: heldOut)
    #expect(Metrics.auc(scores: scores, labels: heldOut) > bayes - 0.03)
}

@Test func binnerGivesEachSmallValueItsOwnBin() throws {
    let m = Matrix([[3, 0.5], [1, .nan], [2, 0.25], [3, 1], [.nan, 0.5]])
    let binner = FeatureBinner(fitting: m)
    #expect(binner.upperEdges[0] == [1.5, 2.5, .greatestFiniteMagnitude])
    #expect(binner.upperEdges[1] == [0.375, 0.75, .greatestFiniteMagnitude])
    let binned = try binner.transform(m)
    #expect(binned.codes == [2, 1, 0, 3, 1, 0, 2, 2, 3, 1])
    // Column-major, as partitions and tree walks read them: feature 0's five rows, then feature 1's.
    #expect(binned.columns == [2, 0, 1, 2, 3, 1, 3, 0, 2, 1])
    #expect(binned.totalBins == 8)

    // 1000 distinct values: 255 bins of roughly equal counts.
    let wide = Matrix(rows: 1000, columns: 1, values: (0..<1000).map { Double($0) })
    let edges = FeatureBinner(fitting: wide).upperEdges[0]
    #expect(edges.count == 255)
    let codes = try FeatureBinner(fitting: wide).transform(wide).codes
    var counts = [Int](repeating: 0, count: 256)
    for c in codes { counts[Int(c)] += 1 }
    #expect(counts[0..<255].allSatisfy { $0 >= 3 && $0 <= 5 })
}

@Test func badInputIsReportedNotCrashed() {
    let m = Matrix([[1], [2]])
    #expect(throws: ResponseModelError.singleClass(positives: 0, rows: 2)) {
        try HistogramBooster().fit(m, labels: [0, 0])
    }
    #expect(throws: ResponseModelError.invalidLabel(row: 1, value: 2)) {
        try HistogramBooster().fit(m, labels: [0, 2])
    }
    var parameters = BoosterParameters()
    parameters.numLeaves = 1
    #expect(throws: ResponseModelError.self) { try HistogramBooster(parameters: parameters).fit(m, labels: [0, 1]) }
}

/// Pairs of folds with workers taking the next fold, and a fold left alone building its
/// histograms on two threads (20 features: enough for the features to be split), must give
/// what one fold at a time on one thread gives.
@Test func crossValidationIsTheSameRunSequentiallyOrInPairs() throws {
    let (matrix, labels) = randomData(rows: 900, columns: 20, seed: 13)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    var parameters = BoosterParameters()
    parameters.numIterations = 40
    parameters.numLeaves = 6
    parameters.earlyStoppingRounds = 5
    parameters.baggingFraction = 0.8
    parameters.baggingFreq = 1
    let folds = StratifiedKFold(folds: 3, seed: 2)
    let paired = try CrossValidation.boostedTrees(binned, labels: labels, parameters: parameters, folds: folds)
    let single = try CrossValidation.boostedTrees(binned, labels: labels, parameters: parameters, folds: folds,
                                                  concurrentFolds: 1)
    #expect(paired.model == single.model)
    #expect(paired.report.outOfFold == single.report.outOfFold)
    #expect(paired.report.foldAUC.count == 3)
    let mean = Double(paired.bestIterations.reduce(0, +)) / 3
    #expect(paired.chosenTrees == Int(mean.rounded()))
    #expect(paired.model.treeCount == paired.chosenTrees)
    #expect(paired.report.outOfFold.allSatisfy { $0 > 0 && $0 < 1 })
}

@Test func jointHistogramsSumDownToTheFeaturesHistograms() throws {
    // Columns with 4...11 values and missing ones: several features share a joint code.
    let (matrix, _) = randomData(rows: 600, columns: 9, seed: 5)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    let groups = binned.groups
    #expect(groups.count < 9)
    let grouped: [Int32] = groups.members.flatMap { $0 }.sorted()
    #expect(grouped == Array(0..<9))
    for (g, members) in groups.members.enumerated() {
        let product = members.reduce(1) { $0 * (binned.valueBinCounts[Int($1)] + 1) }
        #expect(groups.highestCode[g] + 1 <= min(product, FeatureGroups.maxJointBins))
        for f in members { #expect(groups.groupOf[Int(f)] == Int32(g)) }
    }
    // A row's joint code names its members' codes.
    for r in [0, 17, 599] {
        for (g, members) in groups.members.enumerated() {
            let code = groups.jointCode(row: r, group: g)
            for f in members.map({ Int($0) }) {
                #expect(groups.code(of: f, joint: code, histogramOffsets: binned.histogramOffsets) == binned.code(row: r, feature: f))
            }
        }
    }

    var random = SplitMix64(seed: 2)
    // Multiples of 1/64 sum exactly, in any order: the two ways must agree bit for bit.
    let g = (0..<600).map { _ in Double(random.nextIndex(below: 129)) / 64 - 1 }
    let h = (0..<600).map { _ in Double(1 + random.nextIndex(below: 16)) / 64 }
    // 479 of the rows, with gaps as a leaf's rows have.
    let rows = (0..<599).map { Int32($0) }.filter { $0 % 5 != 1 }
    let allGroups = (0..<groups.count).map { Int32($0) }
    let features = (0..<9).map { Int32($0) }
    var direct = [Double](repeating: 0, count: Histogram.binStride * binned.totalBins)
    var summed = [Double](repeating: .nan, count: Histogram.binStride * binned.totalBins)
    var joint = [Double](repeating: .nan, count: Histogram.binStride * groups.totalBins)
    var partTotals: [(groups: [Int32], totals: SIMD2<Double>)] = []
    rows.withUnsafeBufferPointer { rows in
        features.withUnsafeBufferPointer { features in
            binned.codes.withUnsafeBufferPointer { codes in
                Histogram.build(into: &direct, codes: codes.baseAddress!, featureCount: 9, rows: rows, gradients: g,
                                hessians: h, features: features, offsets: binned.histogramOffsets,
                                valueBinCounts: binned.valueBinCounts)
            }
        }
        for part in groups.parts {
            let list = allGroups.filter { part.groups.contains(Int($0)) }
            let totals = Histogram.buildJoint(into: &joint, part: part, rows: rows, gradients: g, hessians: h)
            partTotals.append((list, totals))
            list.withUnsafeBufferPointer { list in
                Histogram.marginalize(joint, groups: list, of: groups, totals: totals, into: &summed,
                                      offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts)
            }
        }
    }
    #expect(summed == direct)
    // Summing down only the features a tree may use leaves the others' slots as they were.
    let used = (0..<9).map { $0 != 4 }
    var some = [Double](repeating: .nan, count: Histogram.binStride * binned.totalBins)
    for (list, totals) in partTotals {
        list.withUnsafeBufferPointer { list in
            Histogram.marginalize(joint, groups: list, of: groups, totals: totals, into: &some,
                                  offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts, used: used)
        }
    }
    for f in 0..<9 {
        let slots = (2 * binned.histogramOffsets[f])..<(2 * (binned.histogramOffsets[f] + binned.valueBinCounts[f] + 1))
        if f == 4 { #expect(slots.allSatisfy { some[$0].isNaN }) } else { #expect(slots.allSatisfy { some[$0] == direct[$0] }) }
    }
    // Hessian sums of the first feature, by hand.
    var hessianSums = [Double](repeating: 0, count: binned.valueBinCounts[0] + 1)
    for r in rows { hessianSums[Int(binned.code(row: Int(r), feature: 0))] += h[Int(r)] }
    let summedHessians: [Double] = (0..<hessianSums.count).map { (b: Int) -> Double in summed[2 * b + 1] }
    #expect(summedHessians == hessianSums)
}

/// Per-feature histograms of `rows` built directly and through the groups' sparse joint codes
/// (every part, then summed down), with gradients and hessians that are multiples of 1/64 (they
/// sum exactly in any order, so the two must agree bit for bit).
private func directAndJointHistograms(_ binned: BinnedMatrix, rows: [Int32], seed: UInt64) -> (direct: [Double], joint: [Double]) {
    var random = SplitMix64(seed: seed)
    let g = (0..<binned.rows).map { _ in Double(random.nextIndex(below: 129)) / 64 - 1 }
    let h = (0..<binned.rows).map { _ in Double(1 + random.nextIndex(below: 16)) / 64 }
    let groups = binned.groups
    let features = (0..<binned.featureCount).map { Int32($0) }
    var direct = [Double](repeating: 0, count: Histogram.binStride * binned.totalBins)
    var summed = [Double](repeating: .nan, count: Histogram.binStride * binned.totalBins)
    var joint = [Double](repeating: .nan, count: Histogram.binStride * groups.totalBins)
    rows.withUnsafeBufferPointer { rows in
        features.withUnsafeBufferPointer { features in
            binned.codes.withUnsafeBufferPointer { codes in
                Histogram.build(into: &direct, codes: codes.baseAddress!, featureCount: binned.featureCount, rows: rows,
                                gradients: g, hessians: h, features: features, offsets: binned.histogramOffsets,
                                valueBinCounts: binned.valueBinCounts)
            }
        }
        for part in groups.parts {
            let totals = Histogram.buildJoint(into: &joint, part: part, rows: rows, gradients: g, hessians: h)
            part.groups.map { Int32($0) }.withUnsafeBufferPointer { list in
                Histogram.marginalize(joint, groups: list, of: groups, totals: totals, into: &summed,
                                      offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts)
            }
        }
    }
    return (direct, summed)
}

@Test func sparseJointCodesListOnlyTheCodesThatAreNotTheMostFrequent() throws {
    // Feature 0 is missing in 60 % of the rows and feature 1 is 0 in 70 %, drawn independently:
    // their group's most frequent combination is (missing, 0), in 0.6 · 0.7 = 42 % of the rows.
    var random = SplitMix64(seed: 11)
    var values: [Double] = []
    for _ in 0..<2000 {
        values.append(random.nextUnit() < 0.6 ? .nan : Double(1 + random.nextIndex(below: 4)))
        values.append(random.nextUnit() < 0.7 ? 0 : Double(1 + random.nextIndex(below: 2)))
    }
    let matrix = Matrix(rows: 2000, columns: 2, values: values)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    let groups = binned.groups
    #expect(groups.members == [[0, 1]])
    let missing0 = binned.valueBinCounts[0]
    let zero1 = Int(binned.code(row: values.indices.first { $0 % 2 == 1 && values[$0] == 0 }! / 2, feature: 1))
    #expect(groups.mostFrequentBin == [missing0, zero1])
    let part = try #require(groups.parts.first)
    #expect(groups.parts.count == 1)
    // A row lists its joint bin exactly when it is not (missing, 0); the bins read back as codes.
    var listed = 0
    for r in 0..<2000 {
        let common = values[2 * r].isNaN && values[2 * r + 1] == 0
        let count = Int(part.starts[r + 1] - part.starts[r])
        #expect(count == (common ? 0 : 1))
        listed += count
        #expect(groups.code(of: 0, joint: groups.jointCode(row: r, group: 0), histogramOffsets: binned.histogramOffsets)
                == binned.code(row: r, feature: 0))
    }
    #expect(abs(Double(listed) / 2000 - 0.58) < 0.03)
    #expect(groups.listedPerRow == Double(listed) / 2000)
    // The left-out combination's bins come back from the totals.
    let rows = (0..<2000).map { Int32($0) }.filter { $0 % 3 != 0 }
    let (direct, joint) = directAndJointHistograms(binned, rows: rows, seed: 4)
    #expect(joint == direct)
}

@Test func jointCodePartsNumberTheirBinsInSixteenBits() throws {
    // 300 features of up to 255 values drawn at random (and missing ones): any two have far more
    // than 256 combinations, so every feature is a group of its own, with about 231 bins; over
    // 65 536 joint bins in all, more than 16 bits number.
    let rows = 600, columns = 300
    var random = SplitMix64(seed: 12)
    let values = (0..<(rows * columns)).map { _ in random.nextUnit() < 0.02 ? .nan : Double(random.nextIndex(below: 255)) }
    let matrix = Matrix(rows: rows, columns: columns, values: values)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    let groups = binned.groups
    #expect(groups.count == columns)
    #expect(groups.totalBins == binned.totalBins)
    #expect(groups.totalBins > JointCodePart.maxBins)
    #expect(groups.parts.count >= 2)
    #expect(groups.parts.allSatisfy { $0.binCount <= JointCodePart.maxBins })
    #expect(groups.parts.map(\.groups.lowerBound) == [0] + groups.parts.dropLast().map(\.groups.upperBound))
    #expect(groups.parts.last?.groups.upperBound == columns)
    let (direct, joint) = directAndJointHistograms(binned, rows: (0..<Int32(rows)).filter { $0 % 4 != 2 }, seed: 6)
    #expect(joint == direct)
}

@Test func featureGroupsCountTheCombinationsThatOccur() throws {
    // v in 1...20; feature 1 = v / 2 and feature 2 = v mod 3 are codings of v (feature 0), so the
    // three have 20 combinations, not the 21 · 12 · 4 = 1008 their bins allow; feature 3 (25
    // values, independent of v) would make 500 and opens a group of its own.
    var random = SplitMix64(seed: 3)
    let independent = (0..<1000).map { _ in Double(random.nextIndex(below: 25)) }
    func matrix(rows order: [Int]) -> Matrix {
        var values: [Double] = []
        for r in order {
            let v = 1 + r % 20
            values += [Double(v), Double(v / 2), Double(v % 3), independent[r]]
        }
        return Matrix(rows: order.count, columns: 4, values: values)
    }
    let rows = Array(0..<1000)
    let binned = try FeatureBinner(fitting: matrix(rows: rows)).transform(matrix(rows: rows))
    let groups = binned.groups
    #expect(groups.members == [[0, 1, 2], [3]])
    #expect(groups.highestCode == [19, 25])
    // Joint codes rank the combinations with the last member most significant: v mod 3 first,
    // then v / 2, then v. By hand: v = 3, 6, ..., 18 take 0...5; v = 1, 4, ..., 19 take 6...12;
    // v = 2, 5, ..., 20 take 13...19.
    func expected(_ v: Int) -> Int {
        switch v % 3 {
        case 0: v / 3 - 1
        case 1: 6 + (v - 1) / 3
        default: 13 + (v - 2) / 3
        }
    }
    for r in rows {
        #expect(groups.jointCode(row: r, group: 0) == expected(1 + r % 20))
        #expect(groups.jointCode(row: r, group: 1) == Int(binned.code(row: r, feature: 3)))
    }
    // The codes do not depend on the order of the rows.
    let reversed = Array(rows.reversed())
    let again = try FeatureBinner(fitting: matrix(rows: reversed)).transform(matrix(rows: reversed)).groups
    #expect(again.members == groups.members)
    for (k, r) in reversed.enumerated() { #expect(again.jointCode(row: k, group: 0) == groups.jointCode(row: r, group: 0)) }
    // Member codes of joint code 0 (v = 3): codes of 3, 1 and 0 in features 0, 1 and 2.
    #expect((0..<3).map { groups.code(of: $0, joint: 0, histogramOffsets: binned.histogramOffsets) } ==
            [binned.code(row: 2, feature: 0), binned.code(row: 2, feature: 1), binned.code(row: 2, feature: 2)])
}

/// The final fit of cross-validation grows trees before the folds have said how many it keeps,
/// but only as many as their best rounds so far promise: told early or late, it must keep
/// exactly the trees of a fit of that many rounds, and never grow one more.
@Test func theFinalFitGrowsOnlyTheRoundsTheFoldsPromise() throws {
    let (matrix, labels) = randomData(rows: 400, columns: 6, seed: 8)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    var parameters = sampledParameters(
        iterations: 30, leaves: 6, bagging: 0.7, baggingFreq: 1, features: 0.8, seed: 5)
    let booster = HistogramBooster(parameters: parameters)
    parameters.numIterations = 7
    let direct = try HistogramBooster(parameters: parameters).fit(binned, labels: labels)

    // The floor by hand: the rounded mean of the best rounds so far, at least 1.
    #expect(FinalRounds.chosen(fromBest: [0, 0]) == 1)
    #expect(FinalRounds.chosen(fromBest: [4, 5]) == 5)   // 4.5 rounds away from zero
    #expect(FinalRounds.chosen(fromBest: [4, 4, 5]) == 4)

    // All folds finished before the final fit starts.
    let early = FinalRounds(folds: 2)
    early.report(fold: 0, best: 6)
    early.report(fold: 1, best: 8)
    #expect(early.finish() == 1)
    #expect(early.finish() == 2)
    let told = try booster.fit(binned, labels: labels, trainingRows: nil, validationRows: [], coreShare: nil,
                               role: .final(early))
    #expect(told.iterationsRun == 7)

    // Folds still running: 3 rounds promised at once, the rest only when the folds finish.
    let late = FinalRounds(folds: 2)
    late.report(fold: 0, best: 2)
    late.report(fold: 1, best: 4)
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
        late.report(fold: 0, best: 5)
        late.report(fold: 1, best: 9)
        _ = late.finish()
        _ = late.finish()
    }
    let waited = try booster.fit(binned, labels: labels, trainingRows: nil, validationRows: [], coreShare: nil,
                                 role: .final(late))
    #expect(waited.iterationsRun == 7)
    for fit in [told, waited] {
        #expect(fit.bestIteration == 7)
        #expect(fit.ensemble == direct.ensemble)
        #expect(fit.featureImportance == direct.featureImportance)
    }
}

/// Booster settings with row bagging and feature sampling, the draws the seed decides.
private func sampledParameters(
    iterations: Int, leaves: Int, bagging: Double, baggingFreq: Int, features: Double, seed: UInt64
) -> BoosterParameters {
    var parameters = BoosterParameters()
    parameters.numIterations = iterations
    parameters.numLeaves = leaves
    parameters.baggingFraction = bagging
    parameters.baggingFreq = baggingFreq
    parameters.featureFraction = features
    parameters.seed = seed
    return parameters
}

/// Whole-number columns are counted, not sorted, and binned by a table: both shortcuts must give
/// what sorting and the edge search give.
@Test func wholeNumberShortcutsGiveTheSortedDistinctValuesAndTheSearchedCodes() throws {
    var random = SplitMix64(seed: 11)
    let whole = (0..<500).map { _ in Double(random.nextIndex(below: 1152)) - 128 } + [-128, 1023, -0.0]
    var column = whole
    let (values, counts) = FeatureBinner.distinctValues(of: &column)
    let expected = Dictionary(grouping: whole, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
    #expect(values == expected.map(\.key))
    #expect(counts == expected.map(\.value))
    // One value outside the window: the column is sorted instead, with the same answer for the rest.
    var mixed = whole + [1024.5]
    let sorted = FeatureBinner.distinctValues(of: &mixed)
    #expect(Array(sorted.values.dropLast()) == values && sorted.values.last == 1024.5)

    // Edges from the sample above; codes of values in and around the window through the table
    // and through the search.
    let probes: [Double] = [-129, -128, -127.5, -0.0, 0, 3, 17, 1023, 1024, 5000, 0.25, .nan]
    let rows = whole + probes
    let matrix = Matrix(rows: rows.count, columns: 1, values: rows)
    let binner = FeatureBinner(fitting: Matrix(rows: whole.count, columns: 1, values: whole), maxBins: 64)
    let codes = try binner.transform(matrix).codes
    #expect(codes == rows.map { binner.bin($0, feature: 0) })
}

@Test func fittingTalliesWholeNumbersRowByRowAsOneColumnAtATimeWould() throws {
    // 9 000 rows: more than one chunk of rows. Column 0: DIAS-like codes with missing values;
    // column 1: whole numbers but for one 2.5 late in the rows (only the last chunk sees it, so
    // the column is sorted); column 2: missing throughout; column 3: 600 distinct codes.
    var random = SplitMix64(seed: 21)
    let rows = 9000
    var values: [Double] = []
    for r in 0..<rows {
        values.append(random.nextUnit() < 0.2 ? .nan : Double(random.nextIndex(below: 12)) - 1)
        values.append(r == 8500 ? 2.5 : Double(random.nextIndex(below: 40)))
        values.append(.nan)
        values.append(Double(random.nextIndex(below: 600)))
    }
    let matrix = Matrix(rows: rows, columns: 4, values: values)
    for maxBins in [255, 16] {
        let binner = FeatureBinner(fitting: matrix, maxBins: maxBins)
        for f in 0..<4 {
            var column = (0..<rows).map { values[$0 * 4 + f] }.filter { !$0.isNaN }
            #expect(binner.upperEdges[f] == FeatureBinner.edges(of: &column, maxBins: maxBins))
        }
        #expect(binner.upperEdges[2] == [.greatestFiniteMagnitude])
        if maxBins == 255 { #expect(binner.upperEdges[1].contains(2.25)) }
        #expect(binner.upperEdges[3].count <= maxBins)
    }
}

@Test func routingSendsRowsWhereTheSplitsSayInTheirOrder() {
    // Node 0: feature 0, bins 0...1 left, missing (code 3) left; node 1: feature 1, bin 0 left,
    // missing (code 2) right. Leaves: 0 and 1 under node 1, 2 on node 0's right.
    var tree = BinnedTree()
    tree.feature = [0, 1]
    tree.bin = [1, 0]
    tree.defaultLeft = [true, false]
    tree.left = [1, ~0]
    tree.right = [~2, ~1]
    let codes: [UInt8] = [0, 3, 2, 1, 3, 2,   // feature 0 of rows 0...5
                          1, 0, 0, 2, 0, 1]   // feature 1
    let missingCodes = [3, 2]
    // By hand: row 0 -> (0 <= 1) node 1 -> (1 > 0) leaf 1; row 1 -> (missing, left) -> (0) leaf 0;
    // row 2 -> leaf 2; row 3 -> node 1 -> (missing, right) leaf 1; row 4 -> leaf 0; row 5 -> leaf 2.
    let rows: [Int32] = [5, 4, 3, 2, 1, 0]
    var positions: [Int32] = [0, 1, 2, 3, 4, 5]
    var scratch = [Int32](repeating: -1, count: 6)
    var reached: [Int: [Int32]] = [:]
    codes.withUnsafeBufferPointer { codes in
        missingCodes.withUnsafeBufferPointer { missingCodes in
            tree.route(&positions, count: 6, rows: rows, columns: codes.baseAddress!, rowCount: 6,
                       missingCodes: missingCodes.baseAddress!, scratch: &scratch) { leaf, positions in
                #expect(reached[leaf] == nil)
                reached[leaf] = Array(positions)
            }
        }
    }
    // Positions of rows 4, 1 (leaf 0), 3, 0 (leaf 1) and 5, 2 (leaf 2) in `rows`, in order.
    #expect(reached == [0: [1, 4], 1: [2, 5], 2: [0, 3]])

    // Node 0's split alone, as training partitions a leaf's rows: left keeps 4, 3, 1, 0 in order.
    var items: [Int32] = [5, 4, 3, 2, 1, 0]
    let left = BinnedTree.partition(&items, count: 6, bin: 1, missingCode: 3, defaultLeft: true, scratch: &scratch) {
        Int(codes[Int($0)])
    }
    #expect(left == 4)
    #expect(items == [4, 3, 1, 0, 5, 2])
}

@Test func splitSearchEstimatesASidesRowsFromItsHessiansAsLightGBMDoes() throws {
    // One feature, two value bins: bin 0 holds 15 rows of hessian 0.25 (sum 3.75, gradient
    // sum -1), bin 1 holds 25 rows of hessian 0.05 (sum 1.25, gradient sum +1), no missing rows.
    // 40 rows over a hessian sum of 5 make 8 rows a unit of hessian, so the split after bin 0 is
    // estimated at round(3.75 · 8) = 30 rows left and 10 right (15 and 25 really).
    let histogram: [Double] = [-1, 3.75, 1, 1.25, 0, 0]
    let totals = NodeTotals(gradient: 0, hessian: 5, count: 40)
    let features: [Int32] = [0]
    func best(fewestRows: Int) -> SplitCandidate? {
        let rule = SplitRule(minDataInLeaf: fewestRows, minSumHessian: 1e-3, lambda: 0, minGain: 0)
        return features.withUnsafeBufferPointer { features in
            rule.bestSplit(histogram: histogram, totals: totals, features: features, offsets: [0], valueBinCounts: [2])
        }
    }
    // 10 estimated rows on the right pass a floor of 10 but not of 12 (the real 15 and 25 would).
    let split = try #require(best(fewestRows: 10))
    #expect(split.bin == 0 && !split.defaultLeft)
    #expect(split.left.count == 30)
    #expect(abs(split.gain - (1 / 3.75 + 1 / 1.25)) < 1e-12)
    #expect(best(fewestRows: 12) == nil)
}
