import ModelFormat
import Numerics
import Testing

@testable import Learning

@Suite struct KMeansSampledRestartsTests {
    /// 12 separated Gaussian blobs in 4 dimensions: a single plain k-means restart often puts
    /// two centres into one blob and one between two, a local minimum that depends on the seed.
    static let data: Matrix = {
        var random = SplitMix64(seed: 99)
        let k = 12, d = 4, n = 6000
        let centres = (0..<k).map { _ in (0..<d).map { _ in random.nextNormal() * 6 } }
        var values: [Double] = []
        values.reserveCapacity(n * d)
        for i in 0..<n {
            let centre = centres[i % k]
            for j in 0..<d { values.append(centre[j] + random.nextNormal()) }
        }
        return Matrix(rows: n, columns: d, values: values)
    }()

    @Test("every seed finds the partition and inertia of the best of 60 plain restarts")
    func seedIndependent() throws {
        let best = try KMeans.fit(Self.data, .init(clusterCount: 12, initializations: 60, seed: 1000))
        let sampling = KMeans.SampledRestarts(restarts: 24, sampleRows: 1500, refined: 2)
        var labels: [[Int]] = []
        for seed: UInt64 in 1...5 {
            let run = try KMeans.fit(Self.data, .init(clusterCount: 12, seed: seed), sampling: sampling)
            #expect(run.inertia <= best.inertia * (1 + 1e-3), "seed \(seed): \(run.inertia) vs best of 60 \(best.inertia)")
            #expect(run.restartInertias.count == 24)
            labels.append(run.labels.map { Int($0) })
        }
        for a in 0..<labels.count {
            for b in (a + 1)..<labels.count { #expect(ClusterMetrics.adjustedRandIndex(labels[a], labels[b]) >= 0.98) }
        }
        // Single plain restarts do not all manage it (the reason for many restarts).
        let plain = try (1...5).map { try KMeans.fit(Self.data, .init(clusterCount: 12, initializations: 1, seed: UInt64($0))).inertia }
        #expect(plain.contains { $0 > best.inertia * (1 + 1e-3) }, "plain restarts: \(plain), best \(best.inertia)")
    }

    @Test("a sample as large as the data is the data: the best restart, no refinement")
    func smallData() throws {
        let sampling = KMeans.SampledRestarts(restarts: 5, sampleRows: 10_000, refined: 2)
        let run = try KMeans.fit(Self.data, .init(clusterCount: 12, seed: 4), sampling: sampling)
        let plain = try KMeans.fit(Self.data, .init(clusterCount: 12, initializations: 5, seed: 4))
        #expect(run.restartInertias == plain.restartInertias)
        #expect(run.inertia == plain.inertia)
    }
}
