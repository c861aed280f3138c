import Numerics
import Testing
@testable import Learning

/// A code matrix small enough to check by hand-rolled loops: `rows` x `width` codes, column c
/// taking values 0..<bins[c], and gradients and hessians in multiples of 1/64 (their sums are
/// exact in any order, so the kernels must agree with the plain loops bit for bit).
private struct KernelCase {
    let rows = 61
    let width = 7
    let bins = [3, 5, 2, 9, 4, 7, 6]
    var codes: [UInt8] = []
    var gradients: [Double] = []
    var hessians: [Double] = []

    init() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<rows {
            for c in 0..<width { codes.append(UInt8(random.nextIndex(below: bins[c]))) }
            gradients.append(Double(random.nextIndex(below: 129)) / 64 - 1)
            hessians.append(Double(1 + random.nextIndex(below: 16)) / 64)
        }
    }

    var offsets: [Int] { bins.indices.map { c in bins[..<c].reduce(0, +) } }

    /// The plain loop: (g, h) added to bin `code` of each selected column, two doubles a bin.
    func reference(rows list: [Int32], columns: [Int32], start: Double) -> [Double] {
        let stride = 2
        var histogram = [Double](repeating: start, count: stride * bins.reduce(0, +))
        for c in columns {
            for s in 0..<(stride * bins[Int(c)]) { histogram[stride * offsets[Int(c)] + s] = 0 }
        }
        for r in list {
            for c in columns {
                let slot = stride * (offsets[Int(c)] + Int(codes[Int(r) * width + Int(c)]))
                histogram[slot] += gradients[Int(r)]
                histogram[slot + 1] += hessians[Int(r)]
            }
        }
        return histogram
    }
}

/// Rows in blocks of four and left over after them (23 = 5 blocks + 3), out of order, and
/// columns skipped: slots of columns not asked for keep what they held.
private let kernelRows: [Int32] = [60, 3, 17, 0, 44, 45, 9, 12, 30, 31, 32, 1, 59, 58, 7, 22, 23, 40, 41, 2, 8, 50, 33]
private let kernelColumns: [Int32] = [0, 2, 3, 5, 6]

@Test func perFeatureHistogramKernelEqualsThePlainLoop() {
    let data = KernelCase()
    for count in [0, 1, 3, 4, 5, 8, 13, kernelRows.count] {
        let list = Array(kernelRows.prefix(count))
        let expected = data.reference(rows: list, columns: kernelColumns, start: -7)
        var histogram = [Double](repeating: -7, count: 2 * data.bins.reduce(0, +))
        let valueBins = data.bins.map { $0 - 1 }
        list.withUnsafeBufferPointer { rows in
            kernelColumns.withUnsafeBufferPointer { columns in
                Histogram.build(into: &histogram, codes: data.codes, featureCount: data.width, rows: rows,
                                gradients: data.gradients, hessians: data.hessians, features: columns,
                                offsets: data.offsets, valueBinCounts: valueBins)
            }
        }
        #expect(histogram == expected, "rows: \(count)")
    }
    // By hand: column 2 has two bins; over all 23 rows their hessians add up to the rows' total.
    let all = data.reference(rows: kernelRows, columns: [2], start: 0)
    let start = 2 * data.offsets[2]
    #expect(all[start + 1] + all[start + 3] == kernelRows.reduce(0) { $0 + data.hessians[Int($1)] })
}

@Test func aTreeIsTheSameGrownOnOneThreadOrTwo() throws {
    // 24 features, so the per-feature builds split between two workers (chunks of at least 8),
    // and every build shared (no smallest size): the sums must not depend on the split.
    var random = SplitMix64(seed: 9)
    let (n, p) = (1200, 24)
    let values = (0..<(n * p)).map { i in random.nextUnit() < 0.1 ? Double.nan : Double(random.nextIndex(below: 3 + i % p)) }
    let matrix = Matrix(rows: n, columns: p, values: values)
    let binned = try FeatureBinner(fitting: matrix).transform(matrix)
    let gradients = (0..<n).map { _ in Double(random.nextIndex(below: 129)) / 64 - 1 }
    let hessians = (0..<n).map { _ in Double(1 + random.nextIndex(below: 16)) / 64 }
    let bag = (0..<Int32(n)).filter { $0 % 7 != 3 }
    let features = (0..<Int32(p)).filter { $0 != 5 }
    var parameters = BoosterParameters()
    parameters.numLeaves = 12
    parameters.minDataInLeaf = 5
    func grow(threads: Int) -> (BinnedTree, [Int32]) {
        parameters.numThreads = threads
        return binned.codes.withUnsafeBufferPointer { codes in
            binned.columns.withUnsafeBufferPointer { columns in
                let grower = TreeGrower(codes: codes.baseAddress!, columns: columns.baseAddress!, rows: n, featureCount: p,
                                        offsets: binned.histogramOffsets, valueBinCounts: binned.valueBinCounts,
                                        totalBins: binned.totalBins, groups: binned.groups, maxRows: n,
                                        parameters: parameters, parallelUpdates: 0)
                let tree = bag.withUnsafeBufferPointer { bag in
                    features.withUnsafeBufferPointer { features in
                        grower.grow(bag: bag, features: features, gradients: gradients, hessians: hessians)
                    }
                }
                return (tree, Array(UnsafeBufferPointer(start: grower.rows, count: bag.count)))
            }
        }
    }
    let (one, oneRows) = grow(threads: 1)
    let (two, twoRows) = grow(threads: 2)
    #expect(one.feature.count == 11)
    #expect(one.feature == two.feature && one.bin == two.bin && one.defaultLeft == two.defaultLeft)
    #expect(one.gain == two.gain && one.leafWeight == two.leafWeight && one.leafCount == two.leafCount)
    let sameLeafRows = oneRows == twoRows
    #expect(sameLeafRows)
}
