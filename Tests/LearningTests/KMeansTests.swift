import Foundation
import Testing
@testable import Learning
import ModelFormat
import Numerics

@Suite struct KMeansTests {
    /// `perCluster` points around each of `centres`, uniform noise of ±`spread`, with truth.
    static func blobs(_ centres: [[Double]], perCluster: Int, spread: Double, seed: UInt64) -> (Matrix, [Int]) {
        var generator = SplitMix64(seed: seed)
        var values: [Double] = [], truth: [Int] = []
        // Interleave clusters so no cluster is a contiguous block of rows.
        for i in 0..<perCluster {
            for (c, centre) in centres.enumerated() {
                _ = i
                values += centre.map { $0 + spread * (2 * generator.nextUnit() - 1) }
                truth.append(c)
            }
        }
        return (Matrix(rows: truth.count, columns: centres[0].count, values: values), truth)
    }

    static let fourCentres: [[Double]] = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]]

    /// Shaped like PCA output: ``fourCentres`` blobs in the 3 leading columns, then 37
    /// columns of normal noise with standard deviation `noise`.
    static func pcaShaped(perCluster: Int, spread: Double, seed: UInt64, noise: Double, noiseSeed: UInt64) -> Matrix {
        let (structure, _) = blobs(fourCentres, perCluster: perCluster, spread: spread, seed: seed)
        var generator = SplitMix64(seed: noiseSeed)
        var data = Matrix(rows: structure.rows, columns: 40)
        for i in 0..<structure.rows {
            for j in 0..<40 { data[i, j] = j < 3 ? structure[i, j] : noise * generator.nextNormal() }
        }
        return data
    }

    @Test func recoversWellSeparatedBlobsExactly() throws {
        let (data, truth) = Self.blobs(Self.fourCentres, perCluster: 250, spread: 1, seed: 11)
        let result = try KMeans.fit(data, .init(clusterCount: 4, initializations: 3, seed: 5))
        #expect(ClusterMetrics.adjustedRandIndex(result.labels, truth) == 1)
        // Each centre is the mean of its blob, near the generating centre.
        for c in 0..<4 {
            let nearest = Self.fourCentres.map { centre in zip(centre, result.centroids.centroids.row(c)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }.min()!
            #expect(nearest < 0.05)
        }
    }

    @Test func nearestCentroidReproducesTheFittedLabels() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 50, spread: 4, seed: 2)
        let result = try KMeans.fit(data, .init(clusterCount: 4, seed: 1))
        var inertia = 0.0
        for i in 0..<data.rows {
            let (index, distance) = result.centroids.nearest(data.row(i))
            #expect(index == Int(result.labels[i]))
            inertia += distance
        }
        #expect(abs(inertia - result.inertia) <= 1e-9 * result.inertia)
    }

    @Test func moreRestartsNeverIncreaseInertia() throws {
        // Overlapping blobs, so restarts land in different local minima.
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 100, spread: 7, seed: 4)
        let one = try KMeans.fit(data, .init(clusterCount: 6, initializations: 1, seed: 9))
        let five = try KMeans.fit(data, .init(clusterCount: 6, initializations: 5, seed: 9))
        // Restart r gets the same derived seed whatever the restart count.
        #expect(five.restartInertias[0] == one.inertia)
        #expect(five.inertia <= one.inertia)
        #expect(five.inertia == five.restartInertias.min())
    }

    /// Started from the rows scikit-learn was given, Lloyd's iterations, the `tol` stop and
    /// the final assignment reach scikit-learn's labels, iteration count and inertia.
    @Test(arguments: ScikitLearnKMeansReference.runs.indices)
    func matchesScikitLearnFromTheSameStart(run: Int) throws {
        let reference = ScikitLearnKMeansReference.runs[run]
        let data = ScikitLearnKMeansReference.data
        let result = KMeans.lloyd(
            data, initialCentres: data.selecting(rows: ScikitLearnKMeansReference.initialRows), maxIterations: 300,
            tolerance: try KMeans.meanColumnVariance(data) * reference.tol)
        #expect(result.labels.map { String($0) }.joined() == reference.labels)
        #expect(result.iterations == reference.iterations)
        #expect(abs(result.inertia - reference.inertia) <= 1e-12 * reference.inertia)
    }

    /// With the same seed, the whole fit (k-means++ drawn from NumPy's RandomState, three
    /// restarts, Lloyd, the pick of the winner) gives scikit-learn's clusters, numbered alike.
    @Test(arguments: ScikitLearnKMeansReference.seededRuns.indices)
    func sameSeedAsScikitLearnSameClusters(run: Int) throws {
        let reference = ScikitLearnKMeansReference.seededRuns[run]
        let result = try KMeans.fit(ScikitLearnKMeansReference.data, .init(
            clusterCount: 4, initializations: 3, maxIterations: 300, tolerance: 1e-4, seed: reference.seed))
        #expect(result.restartSeedRows.first == reference.firstRestartRows)
        #expect(result.labels.map { String($0) }.joined() == reference.labels)
        #expect(result.iterations == reference.iterations)
        #expect(abs(result.inertia - reference.inertia) <= 1e-12 * reference.inertia)
    }

    /// scikit-learn's `_is_same_clustering`: one partition, clusters renumbered.
    @Test func sameClusteringIgnoresNumberingOnly() {
        #expect(KMeans.sameClustering([0, 0, 1, 2, 1], [2, 2, 0, 1, 0], clusterCount: 3))
        #expect(!KMeans.sameClustering([0, 0, 1, 2, 1], [2, 2, 0, 1, 1], clusterCount: 3))
        #expect(!KMeans.sameClustering([0, 0, 1], [1, 2, 0], clusterCount: 3))
    }

    /// The seed rows reported per restart are where each restart began: Lloyd from the
    /// winner's rows gives the fitted clusters again (what bench/ hands scikit-learn).
    @Test func restartSeedRowsReproduceTheWinningRestart() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 100, spread: 7, seed: 4)
        let configuration = KMeans.Configuration(clusterCount: 6, initializations: 4, seed: 17)
        let result = try KMeans.fit(data, configuration)
        #expect(result.restartSeedRows.count == 4)
        #expect(result.restartSeedRows.allSatisfy { Set($0).count == 6 && $0.allSatisfy { (0..<data.rows).contains($0) } })
        let winner = result.restartInertias.firstIndex(of: result.inertia)!
        let again = KMeans.lloyd(
            data, initialCentres: data.selecting(rows: result.restartSeedRows[winner]),
            maxIterations: configuration.maxIterations,
            tolerance: try KMeans.meanColumnVariance(data) * configuration.tolerance)
        #expect(again.labels == result.labels)
        #expect(again.inertia == result.inertia)
    }

    @Test func sameSeedSameResultAndOtherSeedsDiffer() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 100, spread: 7, seed: 4)
        let first = try KMeans.fit(data, .init(clusterCount: 6, initializations: 2, seed: 123))
        let second = try KMeans.fit(data, .init(clusterCount: 6, initializations: 2, seed: 123))
        #expect(first.labels == second.labels)
        #expect(first.centroids == second.centroids)
        #expect(first.inertia == second.inertia)
        let other = try KMeans.fit(data, .init(clusterCount: 6, initializations: 2, seed: 124))
        #expect(other.restartInertias != first.restartInertias)
    }

    /// Lloyd written here from the definition (every distance measured, ties to the lower
    /// centre), with scikit-learn's stopping rule and final assignment after a `tol` stop.
    static func plainLloyd(_ data: Matrix, initial: Matrix, tolerance: Double) -> (labels: [Int], centres: Matrix, iterations: Int) {
        let n = data.rows, d = data.columns, k = initial.rows
        var centres = initial
        var labels = [Int](repeating: -1, count: n)
        func assign() -> [Int] {
            (0..<n).map { i in
                (0..<k).min { a, b in
                    let da = (0..<d).reduce(0.0) { $0 + pow(data[i, $1] - centres[a, $1], 2) }
                    let db = (0..<d).reduce(0.0) { $0 + pow(data[i, $1] - centres[b, $1], 2) }
                    return da < db || (da == db && a < b)
                }!
            }
        }
        var strict = false
        var iterations = 0
        for _ in 0..<300 {
            iterations += 1
            let newLabels = assign()
            var next = Matrix(rows: k, columns: d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                counts[newLabels[i]] += 1
                for j in 0..<d { next[newLabels[i], j] += data[i, j] }
            }
            #expect(!counts.contains(0))
            var shift = 0.0
            for c in 0..<k {
                for j in 0..<d {
                    next[c, j] /= Double(counts[c])
                    shift += pow(next[c, j] - centres[c, j], 2)
                }
            }
            centres = next
            if newLabels == labels { strict = true; labels = newLabels; break }
            labels = newLabels
            if shift <= tolerance { break }
        }
        if !strict { labels = assign() }
        return (labels, centres, iterations)
    }

    /// The bounds must not change what Lloyd computes (few columns: the head is all of them).
    @Test func boundedIterationsEqualPlainLloyd() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 120, spread: 8, seed: 21)
        var generator = SplitMix64(seed: 77)
        let initial = KMeans.seedPlusPlus(data, clusterCount: 7, generator: &generator)
        let tolerance = try KMeans.meanColumnVariance(data) * 1e-4
        let fast = KMeans.lloyd(data, initialCentres: initial, maxIterations: 300, tolerance: tolerance)
        let plain = Self.plainLloyd(data, initial: initial, tolerance: tolerance)
        #expect(fast.labels.map(Int.init) == plain.labels)
        for c in 0..<7 { for j in 0..<3 { #expect(abs(fast.centroids.centroids[c, j] - plain.centres[c, j]) < 1e-9) } }
    }

    /// Data shaped like PCA output: cluster structure in 3 leading columns, then 37 columns
    /// of noise. The head-and-tail test then settles most rows on the head; whatever head
    /// width, labels, centres and iteration count must be plain Lloyd's.
    @Test(arguments: [1, 4, 16])
    func headAndTailPruningEqualsPlainLloyd(head: Int) throws {
        let data = Self.pcaShaped(perCluster: 100, spread: 6, seed: 31, noise: 1.5, noiseSeed: 8)
        var generator = SplitMix64(seed: 5)
        let initial = KMeans.seedPlusPlus(data, clusterCount: 6, generator: &generator)
        let tolerance = try KMeans.meanColumnVariance(data) * 1e-4
        let fast = KMeans.lloyd(data, initialCentres: initial, maxIterations: 300, tolerance: tolerance, head: head)
        let plain = Self.plainLloyd(data, initial: initial, tolerance: tolerance)
        #expect(fast.iterations == plain.iterations)
        #expect(fast.labels.map(Int.init) == plain.labels)
        var inertia = 0.0
        for i in 0..<data.rows { for j in 0..<data.columns { inertia += pow(data[i, j] - plain.centres[plain.labels[i], j], 2) } }
        #expect(abs(fast.inertia - inertia) <= 1e-9 * inertia)
        for c in 0..<6 { for j in 0..<data.columns { #expect(abs(fast.centroids.centroids[c, j] - plain.centres[c, j]) < 1e-9) } }
    }

    /// The pruning test itself on a hand-made case: centres (0,0,|0,0) and (2,0,|0,0.5) with
    /// head = 2. Row (0.9,0,|3,4): tail norm 5. Centre 0: head 0.81, tail 0 → [25.81, 25.81].
    /// Centre 1: head 1.21, tail norm 0.5 → [1.21 + 4.5², 1.21 + 5.5²] = [21.46, 31.46]:
    /// it overlaps, so both are measured (25.81 and 1.21 + 9 + 12.25 = 22.46): label 1.
    @Test func headAndTailKeepsCentresInDoubt() {
        let centres = Matrix([[0, 0, 0, 0], [2, 0, 0, 0.5]])
        let geometry = KMeans.CentreGeometry(centres, head: 2)
        #expect(geometry.tailNorms == [0, 0.5])
        #expect(geometry.halfGap == [(4.25).squareRoot() / 2, (4.25).squareRoot() / 2])
        let row: [Double] = [0.9, 0, 3, 4]
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 8)
        defer { scratch.deallocate() }
        let nearest = row.withUnsafeBufferPointer { r in
            centres.values.withUnsafeBufferPointer { c in
                geometry.heads.withUnsafeBufferPointer { h in
                    geometry.tailNorms.withUnsafeBufferPointer { t in
                        KMeans.CentreGeometry.nearest(
                            row: r.baseAddress!, rowHead: r.baseAddress!, tail: 5, centres: c.baseAddress!, k: 2, columns: 4, head: 2,
                            heads: h.baseAddress!, tailNorms: t.baseAddress!, scratch: scratch)
                    }
                }
            }
        }
        #expect(nearest.label == 1)
        #expect(abs(nearest.upper - (22.46).squareRoot()) < 1e-12)
        #expect(abs(nearest.lower - (25.81).squareRoot()) < 1e-12)
        // A row near centre 0 in the head with a short tail is settled without measuring:
        // centre 0: [0.01 + 0.01, same]; centre 1: [3.61 + 0, 3.61 + 0.36]; bounds from intervals.
        let settled = [0.1, 0, 0, 0.1].withUnsafeBufferPointer { r in
            centres.values.withUnsafeBufferPointer { c in
                geometry.heads.withUnsafeBufferPointer { h in
                    geometry.tailNorms.withUnsafeBufferPointer { t in
                        KMeans.CentreGeometry.nearest(
                            row: r.baseAddress!, rowHead: r.baseAddress!, tail: 0.1, centres: c.baseAddress!, k: 2, columns: 4, head: 2,
                            heads: h.baseAddress!, tailNorms: t.baseAddress!, scratch: scratch)
                    }
                }
            }
        }
        #expect(settled.label == 0)
        #expect(abs(settled.upper - (0.02).squareRoot()) < 1e-12)
        #expect(abs(settled.lower - (3.61 + 0.16).squareRoot()) < 1e-12)
    }

    @Test func rowHeadsPackTheLeadingColumnsAndTheTailNorms() {
        let data = Matrix([[1, 2, 3, 4], [0, 0, 0, 0], [5, 6, 0, -12]])
        let heads = KMeans.RowHeads(data, head: 2)
        #expect(heads.values == [1, 2, 0, 0, 5, 6])
        #expect(heads.tailNorms == [5, 0, 12])
        #expect(KMeans.RowHeads(data, head: 4).tailNorms == [0, 0, 0])
    }

    /// Greedy k-means++ written here from the definition: every distance measured, the same
    /// draws from the generator (first row, then per centre `trials` uniforms x potential,
    /// located in the running sum of D² as numpy.searchsorted does), the lowest potential wins.
    static func plainSeeding(_ data: Matrix, k: Int, generator: inout SplitMix64) -> [Int] {
        let n = data.rows, d = data.columns
        let trials = 2 + Int(log(Double(k)))
        func distance(_ a: Int, _ b: Int) -> Double { (0..<d).reduce(0.0) { $0 + pow(data[a, $1] - data[b, $1], 2) } }
        var chosen = [generator.nextIndex(below: n)]
        var closest = (0..<n).map { distance($0, chosen[0]) }
        for _ in 1..<k {
            let potential = closest.reduce(0, +)
            var cumulative: [Double] = []
            var running = 0.0
            for value in closest { running += value; cumulative.append(running) }
            let candidates = (0..<trials).map { _ in
                let draw = generator.nextUnit() * potential
                return min(cumulative.firstIndex { $0 >= draw } ?? n, n - 1)
            }
            let options = candidates.map { c in (0..<n).map { min(closest[$0], distance($0, c)) } }
            let potentials = options.map { $0.reduce(0, +) }
            let best = potentials.indices.min { potentials[$0] < potentials[$1] || (potentials[$0] == potentials[$1] && $0 < $1) }!
            chosen.append(candidates[best])
            closest = options[best]
        }
        return chosen
    }

    /// The seeding skips rows whose head-and-tail bound already reaches their D²; on data
    /// shaped like PCA output (structure in 3 leading columns, 37 columns of noise) it must
    /// still pick exactly the rows plain greedy k-means++ picks, whatever the head width.
    @Test(arguments: [1, 4, 16])
    func prunedSeedingEqualsPlainKMeansPlusPlus(head: Int) {
        let data = Self.pcaShaped(perCluster: 60, spread: 3, seed: 41, noise: 0.5, noiseSeed: 3)
        for seed: UInt64 in [1, 2, 3] {
            var generator = SplitMix64(seed: seed)
            let seeded = KMeans.seedPlusPlus(data, clusterCount: 8, rowHeads: KMeans.RowHeads(data, head: head), generator: &generator)
            var reference = SplitMix64(seed: seed)
            let rows = Self.plainSeeding(data, k: 8, generator: &reference)
            #expect(seeded == Matrix(rows.map { data.row($0) }))
            // Both consumed the same draws.
            #expect(generator.next() == reference.next())
        }
    }

    /// The AVX2 kernels against sums done by hand: x_j = j, y_j = j − 1 (+ 0.5 on odd j), so
    /// each squared difference is 1 or 0.25. Lengths cover the 16-wide loop, the 4-wide loop
    /// and the scalar rest.
    @Test(.enabled(if: GramKernel.isSupported(.avx2FMA), "this CPU lacks AVX2 + FMA"), arguments: [3, 7, 16, 21, 254])
    func avx2DistanceAndSumKernels(count: Int) {
        let x = (0..<count).map { Double($0) }
        let y: [Double] = (0..<count).map { j in
            let shift: Double = j % 2 == 1 ? 0.5 : 0
            return Double(j) - 1 + shift
        }
        let odd = count / 2, even = count - odd
        let expected = Double(even) * 1 + Double(odd) * 0.25
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                #expect(DenseKernels.squaredDistance(xp.baseAddress!, yp.baseAddress!, count: count, kernel: .avx2FMA) == expected)
                #expect(DenseKernels.squaredDistance(xp.baseAddress!, yp.baseAddress!, count: count, kernel: .sse2) == expected)
            }
        }
        for kernel in [GramKernel.avx2FMA, .sse2] {
            var into = [Double](repeating: 10, count: count), from = [Double](repeating: 10, count: count)
            into.withUnsafeMutableBufferPointer { i in
                from.withUnsafeMutableBufferPointer { f in
                    x.withUnsafeBufferPointer { r in
                        DenseKernels.move(r.baseAddress!, from: f.baseAddress!, into: i.baseAddress!, count: count, kernel: kernel)
                        DenseKernels.add(r.baseAddress!, to: i.baseAddress!, count: count, kernel: kernel)
                    }
                }
            }
            #expect(into == x.map { 10 + 2 * $0 })
            #expect(from == x.map { 10 - $0 })
        }
    }

    /// Head distances four centres at a time, by column: 5 centres (two groups, the second
    /// padded) of length 3, centre c = (c, 2c, 0), x = (1, 2, 3): ‖x − c‖² = 5(1 − c)² + 9.
    @Test(.enabled(if: GramKernel.isSupported(.avx2FMA), "this CPU lacks AVX2 + FMA"))
    func headDistancesByColumn() {
        let centres = Matrix((0..<5).map { c in [Double(c), Double(2 * c), 0] })
        let geometry = KMeans.CentreGeometry(centres, head: 3)
        #expect(geometry.groups == 2)
        var out = [Double](repeating: .nan, count: 8)
        let x: [Double] = [1, 2, 3]
        geometry.headsByColumn.withUnsafeBufferPointer { columns in
            DenseKernels.headDistancesAVX2(x, columns: columns.baseAddress!, length: 3, groups: 2, into: &out)
        }
        #expect(Array(out[0..<5]) == [14, 9, 14, 29, 54])
        // Padding centres are zero vectors: ‖x‖² = 14.
        #expect(Array(out[5..<8]) == [14, 14, 14])
    }

    @Test func emptyClusterIsReseededWithoutFailing() throws {
        // Two identical rows and k = n: seeding must reuse a point, leaving a cluster empty.
        let data = Matrix([[0], [0], [1], [2]])
        let result = try KMeans.fit(data, .init(clusterCount: 4, initializations: 2, seed: 3))
        #expect(result.inertia == 0)
        #expect(result.labels.allSatisfy { (0..<4).contains($0) })
        #expect(result.centroids.centroids.values.allSatisfy { $0.isFinite })
    }

    @Test func rejectsBadParameters() {
        let data = Matrix([[0], [1], [2]])
        #expect(throws: SegmentationError.invalidClusterCount(k: 4, rows: 3)) { try KMeans.fit(data, .init(clusterCount: 4)) }
        #expect(throws: SegmentationError.invalidClusterCount(k: 0, rows: 3)) { try KMeans.fit(data, .init(clusterCount: 0)) }
        #expect(throws: SegmentationError.self) { try KMeans.fit(data, .init(clusterCount: 2, initializations: 0)) }
        #expect(throws: SegmentationError.notFinite(row: 1, column: 0, value: .infinity)) {
            try KMeans.fit(Matrix([[0], [.infinity], [2]]), .init(clusterCount: 2))
        }
    }

    @Test func scanSuggestsTheTrueClusterCount() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 60, spread: 1, seed: 8)
        let scan = try KMeans.scan(data, kRange: 2...6, initializations: 2, silhouetteSample: 150, seed: 1)
        #expect(scan.entries.map(\.k) == [2, 3, 4, 5, 6])
        #expect(scan.suggestedK == 4)
        for pair in zip(scan.entries, scan.entries.dropFirst()) { #expect(pair.1.inertia <= pair.0.inertia) }
    }

    @Test func centroidsSurviveBundleRoundTrip() throws {
        let centroids = SegmentCentroids(centroids: Matrix([[1, 2.5], [-3, 0.125]]))
        let decoded = try SegmentCentroids(binary: centroids.binaryEncoded())
        #expect(decoded == centroids)
        #expect(centroids.nearest([-2, 0]).index == 1)
        #expect(centroids.nearest([-2, 0]).distanceSquared == 1 + 0.015625)
    }
}
