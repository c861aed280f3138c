import Foundation
import Testing
@testable import Learning
import ModelFormat

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

    /// Hamerly's bounds must not change what Lloyd computes: compare with a plain Lloyd
    /// written here from the definition, with scikit-learn's stopping rule.
    @Test func boundedIterationsEqualPlainLloyd() throws {
        let (data, _) = Self.blobs(Self.fourCentres, perCluster: 120, spread: 8, seed: 21)
        var generator = SplitMix64(seed: 77)
        let initial = KMeans.seedPlusPlus(data, clusterCount: 7, generator: &generator)
        let tolerance = try KMeans.meanColumnVariance(data) * 1e-4
        let fast = KMeans.lloyd(data, initialCentres: initial, maxIterations: 300, tolerance: tolerance)

        let n = data.rows, d = data.columns, k = 7
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
        for _ in 0..<300 {
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
        #expect(fast.labels.map(Int.init) == labels)
        for c in 0..<k { for j in 0..<d { #expect(abs(fast.centroids.centroids[c, j] - centres[c, j]) < 1e-9) } }
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

    @Test func centroidsSurviveJSONRoundTrip() throws {
        let centroids = SegmentCentroids(centroids: Matrix([[1, 2.5], [-3, 0.125]]))
        let decoded = try JSONDecoder().decode(SegmentCentroids.self, from: JSONEncoder().encode(centroids))
        #expect(decoded == centroids)
        #expect(centroids.nearest([-2, 0]).index == 1)
        #expect(centroids.nearest([-2, 0]).distanceSquared == 1 + 0.015625)
    }
}
